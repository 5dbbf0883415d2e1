/**
 * For the group-commit property tests (src/repositories/batching): two PostgreSQL databases with
 * the same partners, one where operations run batched and concurrently, one where the same
 * operations are replayed one by one to find a serial order that explains what the batch did.
 */
import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createServices, type Services } from "../../src/services.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./databases.js";
import { fakeClock, testConfig } from "./test-app.js";

export const postgresAvailable = databaseKinds.includes("postgres");
if (!postgresAvailable) console.warn("group-commit property tests skipped: TEST_DATABASE_URL is not set (batching is PostgreSQL's)");

export const PARTNERS = [
  { clientId: "karabast", name: "Karabast", integration: "karabast", redirectUris: ["https://karabast.example/cb"], scopes: ["decks", "email", "profile", "teams"] },
  { clientId: "other", name: "Other", integration: "karabast", redirectUris: ["https://other.example/cb"], scopes: ["decks", "email", "profile", "teams"] },
] as const;

export interface BatchingPair {
  batched: Database;
  serial: Database;
  /** Unbatched services on the serial database (the reference behaviour). */
  serialServices: Services;
  clock: ReturnType<typeof fakeClock>;
  config: ReturnType<typeof testConfig>;
}

/** Call inside a `describe`: the pair is filled in before the first test. */
export function batchingPair(): BatchingPair {
  const pair = { clock: fakeClock(), config: testConfig() } as BatchingPair;
  const dbs: TestDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTestDatabase("postgres"));
    pair.batched = dbs[0]!.database;
    pair.serial = dbs[1]!.database;
    for (const database of [pair.batched, pair.serial]) {
      const services = createServices({ config: pair.config, db: database.db, clock: pair.clock });
      for (const p of PARTNERS) await services.clients.register({ ...p, redirectUris: [...p.redirectUris], scopes: [...p.scopes] });
    }
    pair.serialServices = createServices({ config: pair.config, db: pair.serial.db, clock: pair.clock });
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });
  return pair;
}
