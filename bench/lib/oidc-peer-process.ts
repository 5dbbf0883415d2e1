/**
 * Starts the benchmark's peer, node-oidc-provider (bench/oidc-peer/server.ts), in its own process
 * exactly as our server is started: bundled by scripts/build.ts into dist/bench/oidc-peer.js
 * (packages external, rebuilt when stale), run by plain node with the production heap flags,
 * NODE_ENV=production. No TypeScript loader in the measured process, on either side.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { bundleIsStale, bundleServer, HEAP_FLAGS } from "../../scripts/build.js";
import type { Partner } from "./cases.js";
import { freePort, ROOT, spawnBenchProcess, type ReadyMessage, type ServerProcess } from "./server-process.js";

const PEER_BUNDLE = join(ROOT, "dist/bench/oidc-peer.js");

/** The bundle being built (once per bench process, however many peers start at once). */
let building: Promise<unknown> | null = null;

export type PeerStore = "memory" | "postgres";

export interface OidcPeer extends ServerProcess {
  store: PeerStore;
  client: Partner;
  /** The first refresh token of each seeded grant. */
  tokens: string[];
}

/**
 * The in-memory adapter's LRU: every rotation touches about five entries (the grant, its token
 * index, the old and the new refresh token, the access token), and an entry not touched for a
 * full LRU generation is dropped; 8 per chain keeps every live one.
 */
export const lruSizeFor = (chains: number) => Math.max(1000, 8 * chains);

export async function startOidcPeer(options: { store: PeerStore; chains: number; databaseUrl?: string }): Promise<OidcPeer> {
  await (building ??= bundleIsStale(PEER_BUNDLE) ? bundleServer({ entry: join(ROOT, "bench/oidc-peer/server.ts"), outfile: PEER_BUNDLE }) : Promise.resolve());
  const port = await freePort();
  const client: Partner = { clientId: "karabast-peer", clientSecret: randomBytes(32).toString("base64url") };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    OIDC_PEER_STORE: options.store,
    OIDC_PEER_CHAINS: String(options.chains),
    OIDC_PEER_LRU_SIZE: String(lruSizeFor(options.chains)),
    OIDC_PEER_CLIENT_ID: client.clientId,
    OIDC_PEER_CLIENT_SECRET: client.clientSecret,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const peer = await spawnBenchProcess<ReadyMessage & { tokens: string[] }>({
    args: [...HEAP_FLAGS, PEER_BUNDLE],
    env,
    what: `oidc-provider peer (${options.store})`,
    // It seeds its grants before it listens: 20,000 through the provider's models take a while on a busy machine.
    readyTimeoutMs: 180_000,
  });
  return { ...peer, store: options.store, client, tokens: peer.ready.tokens };
}
