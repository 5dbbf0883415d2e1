/**
 * Instances starting together on one PostgreSQL database apply migrations one at a time, under an
 * advisory lock (src/db/database.ts): drizzle's migrator takes none, and two instances starting
 * on a database that lacked a migration both ran its CREATE statements; all but one failed.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createPostgresDatabase, databaseKinds } from "../support/databases.js";

const HAS_POSTGRES = databaseKinds.includes("postgres");
if (!HAS_POSTGRES) console.warn("TEST_DATABASE_URL is not set: skipping the migration-lock tests");

describe.skipIf(!HAS_POSTGRES)("migrations under an advisory lock (postgres)", () => {
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const opened: Database[] = [];

  beforeAll(async () => {
    pg = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const d of opened) await d.close();
    await pg?.drop();
  });

  it("waits while another instance holds the lock, then migrates", async () => {
    const other = postgres(pg.url, { max: 1, onnotice: () => {} });
    const reserved = await other.reserve();
    await reserved`select pg_advisory_lock(${0x73776c6d})`;
    let done = false;
    const opening = openDatabase({ kind: "postgres", url: pg.url, maxConnections: 3 }).then((d) => {
      done = true;
      opened.push(d);
      return d;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(done, "migrated while another instance held the lock").toBe(false);
    const [{ tables }] = (await reserved`select count(*)::int as tables from information_schema.tables where table_schema = 'public'`) as unknown as [{ tables: number }];
    expect(tables).toBe(0);
    await reserved`select pg_advisory_unlock(${0x73776c6d})`;
    reserved.release();
    await other.end();
    const database = await opening;
    await database.ping();
  });

  it("three instances starting at once on a database without tables all start", async () => {
    const fresh = await createPostgresDatabase();
    try {
      const all = await Promise.all([0, 1, 2].map(() => openDatabase({ kind: "postgres", url: fresh.url, maxConnections: 2 })));
      for (const d of all) await d.ping();
      await Promise.all(all.map((d) => d.close()));
    } finally {
      await fresh.drop();
    }
  });
});
