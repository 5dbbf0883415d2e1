/** The common start of a benchmark: a fresh database with the schema, the partner, the vault and the secrets. */
import { randomBytes } from "node:crypto";
import postgres, { type Sql } from "postgres";
import { openDatabase } from "../../src/db/database.js";
import { createClientService } from "../../src/domain/clients/client-service.js";
import { TokenVault } from "../../src/domain/tokens/token-vault.js";
import { clientRepository } from "../../src/repositories/client-repository.js";
import type { Partner } from "./cases.js";
import { createBenchDatabase, type BenchDatabase } from "./database.js";
import { LinkFamily, REDIRECT_URI, SCOPES } from "./seed.js";
import { newSecrets, type BenchSecrets } from "./server-process.js";

export interface BenchSetup {
  bdb: BenchDatabase;
  /** For seeding (a few connections). */
  setup: Sql;
  /** One connection for the counters read around each run. */
  monitor: Sql;
  secrets: BenchSecrets;
  partner: Partner;
  vault: TokenVault;
  family(ns: string): LinkFamily;
  close(): Promise<void>;
}

/** Databases to drop if the run is interrupted (Ctrl-C, SIGTERM); servers stop when this process goes away. */
const open = new Set<BenchDatabase>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: dropping ${open.size} benchmark database(s)`);
    void Promise.allSettled([...open].map((d) => d.drop())).finally(() => process.exit(130));
  });
}

export async function prepareBench(prefix?: string): Promise<BenchSetup> {
  const bdb = await createBenchDatabase(prefix);
  open.add(bdb);
  const secrets = newSecrets();
  const partner: Partner = { clientId: secrets.clientId, clientSecret: secrets.clientSecret };
  try {
    const database = await openDatabase({ kind: "postgres", url: bdb.url, maxConnections: 2 }); // applies the migrations
    try {
      await createClientService(clientRepository(database.db)).upsertConfigured({ clientId: partner.clientId, secret: partner.clientSecret, redirectUris: [REDIRECT_URI], scopes: SCOPES });
    } finally {
      await database.close();
    }
  } catch (err) {
    await bdb.drop();
    throw err;
  }
  const setup = postgres(bdb.url, { max: 4, onnotice: () => {} });
  const monitor = postgres(bdb.url, { max: 1, onnotice: () => {} });
  const vault = new TokenVault({ encryptionKey: Buffer.from(secrets.tokenEncryptionKey, "hex"), hashKey: Buffer.from(secrets.tokenHashKey, "hex") });
  const seed = randomBytes(32);
  return {
    bdb,
    setup,
    monitor,
    secrets,
    partner,
    vault,
    family: (ns) => new LinkFamily(ns, seed),
    async close() {
      await setup.end();
      await monitor.end();
      await bdb.drop();
      open.delete(bdb);
    },
  };
}
