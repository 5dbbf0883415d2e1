/**
 * The prologue most integration suites share: a fresh database of the given kind, the app on it
 * with a fake clock, and the Karabast partner registered, dropped after the suite. Call it inside
 * a `describe`; the returned object is filled in before the first test runs.
 */
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";
import { registerPartner } from "./link-helpers.js";
import { buildTestApp, fakeClock, type TestApp } from "./test-app.js";

export interface PartnerSuite {
  tdb: TestDatabase;
  t: TestApp;
  partner: { clientId: string; secret: string };
  clock: ReturnType<typeof fakeClock>;
}

export function partnerSuite(kind: DatabaseKind): PartnerSuite {
  const suite = { clock: fakeClock() } as PartnerSuite;
  beforeAll(async () => {
    suite.tdb = await createTestDatabase(kind);
    suite.t = buildTestApp(suite.tdb.database, { clock: suite.clock });
    suite.partner = await registerPartner(suite.t);
  });
  afterAll(async () => {
    await suite.tdb?.drop();
  });
  return suite;
}
