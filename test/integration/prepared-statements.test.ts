/**
 * DATABASE_PREPARED_STATEMENTS: with it on (the default), drizzle's parameterised statements run
 * as named prepared statements on PostgreSQL, planned once per connection; off, each is parsed
 * and planned on every call (for poolers that cannot keep prepared statements).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { partnerClient } from "../../src/db/schema.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createPostgresDatabase, databaseKinds } from "../support/databases.js";

describe.runIf(databaseKinds.includes("postgres"))("prepared statements on PostgreSQL", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** One connection, so the session that ran the query is the one asked about its statements. */
  async function open(preparedStatements?: boolean): Promise<Database> {
    const pg = await createPostgresDatabase();
    const database = await openDatabase({ kind: "postgres", url: pg.url, maxConnections: 1, ...(preparedStatements === undefined ? {} : { preparedStatements }) });
    cleanup.push(() => pg.drop(), () => database.close());
    return database;
  }

  const preparedCount = async (database: Database) =>
    Number(rowsOf<{ n: string }>(await database.db.execute(sql`select count(*) as n from pg_prepared_statements where statement like '%partner_client%'`))[0]!.n);

  it("prepares parameterised statements by default, once per query text", async () => {
    const database = await open();
    for (let i = 0; i < 3; i++) await database.db.select().from(partnerClient).where(eq(partnerClient.clientId, `c${i}`));
    expect(await preparedCount(database)).toBe(1);
  });

  it("prepares nothing when turned off", async () => {
    const database = await open(false);
    for (let i = 0; i < 3; i++) await database.db.select().from(partnerClient).where(eq(partnerClient.clientId, `c${i}`));
    expect(await preparedCount(database)).toBe(0);
  });
});
