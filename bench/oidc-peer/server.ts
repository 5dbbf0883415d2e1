/**
 * The benchmark's peer: node-oidc-provider (panva, OpenID-certified), in its own process, started
 * by bench/lib/oidc-peer-process.ts the way our server is started (bundled into
 * dist/bench/oidc-peer.js, plain node with the production heap flags, NODE_ENV=production).
 *
 * Configured as close to our refresh-token endpoint as its settings allow: one confidential
 * client authenticating with client_secret_post, refresh tokens rotating on every use
 * (rotateRefreshToken, reuse of a rotated token revokes the grant), opaque access tokens stored
 * by the adapter, TTLs as ours (access 1 h, refresh 30 days), no ID token (the grants carry no
 * `openid` scope: ours issues none, and signing one would only slow the peer down).
 *
 * Environment: PORT, HOST; OIDC_PEER_STORE = memory (the provider's own in-memory adapter, on an
 * LRU of OIDC_PEER_LRU_SIZE entries instead of its default 1,000; see below) or postgres (bench/oidc-peer/postgres-adapter.ts on DATABASE_URL, pool of 20 like our
 * server's, the table created by the bench beforehand); OIDC_PEER_CLIENT_ID / _SECRET;
 * OIDC_PEER_CHAINS: how many grants to seed, each with a refresh token, as an authorization code
 * exchange with `offline_access` would leave them. Reports `{ ready, port, pid, tokens }` over IPC
 * (the seeded refresh tokens, one per grant); SIGTERM or the bench going away stops it.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import Provider, { type Configuration } from "oidc-provider";
import MemoryAdapter from "oidc-provider/lib/adapters/memory_adapter.js";
import LRU from "oidc-provider/lib/helpers/lru.js";
import postgres from "postgres";
import { postgresAdapter } from "./postgres-adapter.js";

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`the oidc-provider peer needs ${name}`);
  return v;
};

const ACCESS_TOKEN_TTL = 3600;
const REFRESH_TOKEN_TTL = 30 * 86_400;
/** What each seeded grant allows: offline_access (a refresh token) and two of our scopes' names, no openid. */
const SCOPE = "offline_access decks teams";

async function main() {
  const store = env("OIDC_PEER_STORE");
  if (store !== "memory" && store !== "postgres") throw new Error(`OIDC_PEER_STORE: memory or postgres, not ${store}`);
  const port = Number(env("PORT"));
  const host = env("HOST");
  const clientId = env("OIDC_PEER_CLIENT_ID");
  const chains = Number(env("OIDC_PEER_CHAINS"));

  const sql = store === "postgres" ? postgres(env("DATABASE_URL"), { max: 20, onnotice: () => {} }) : null;
  const pg = sql ? postgresAdapter(sql) : null;
  // With no adapter configured the provider builds exactly this, on an LRU of 1,000 entries. That
  // holds ~150 live refresh chains, and then every grant's token index (which the adapter scans
  // on each save, and which only grows while a chain rotates) becomes hundreds of entries long
  // within a run, slowing the peer down with an artefact of the benchmark. A larger LRU lets the
  // peer rotate thousands of chains, each only a few dozen times, as a real client population would.
  const memory = store === "memory" ? new LRU({ maxSize: Number(env("OIDC_PEER_LRU_SIZE")) }) : null;

  // Production-like: our own signing key and cookie keys rather than the provider's development ones
  // (neither is used by the refresh grant without an ID token).
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const configuration: Configuration = {
    adapter: pg ? pg.factory : (model: string) => new MemoryAdapter(model, memory!),
    clients: [
      {
        client_id: clientId,
        client_secret: env("OIDC_PEER_CLIENT_SECRET"),
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: ["https://karabast.example/api/swubase/callback"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    jwks: { keys: [{ ...signingKey, kid: "bench", use: "sig", alg: "RS256" }] },
    features: { devInteractions: { enabled: false } },
    scopes: ["openid", "offline_access", "decks", "teams"],
    rotateRefreshToken: true,
    // The default already: a code exchange issues a refresh token when the grant has offline_access.
    issueRefreshToken: (_ctx, client, code) => client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    ttl: { AccessToken: ACCESS_TOKEN_TTL, RefreshToken: REFRESH_TOKEN_TTL, Grant: REFRESH_TOKEN_TTL },
    // No account store: the peer is not charged for a user lookup (ours reads the link's row, no user table).
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  };
  const provider = new Provider(`http://${host}:${port}`, configuration);

  // Seed the grants and their first refresh tokens through the provider's own models.
  const client = await provider.Client.find(clientId);
  if (!client) throw new Error("the peer's client is not configured");
  pg?.startSeed();
  const tokens: string[] = [];
  for (let i = 0; i < chains; i++) {
    const accountId = `bench-account-${i}`;
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(SCOPE);
    const grantId = await grant.save();
    tokens.push(await new provider.RefreshToken({ client, accountId, grantId, scope: SCOPE, gty: "authorization_code" }).save());
  }
  if (pg && sql) {
    await pg.flushSeed();
    await sql`analyze oidc_peer_payload`;
  }

  const server = provider.listen(port, host, () => process.send?.({ ready: true, port, pid: process.pid, tokens }));

  const stop = () => {
    server.close(() => {
      void (sql?.end() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("disconnect", stop);
}

main().catch((err: unknown) => {
  console.error("oidc-provider peer failed to start:", err);
  process.exit(1);
});
