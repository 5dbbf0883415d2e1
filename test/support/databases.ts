/**
 * Test databases: PGlite in memory always; real PostgreSQL as well when TEST_DATABASE_URL is
 * set. Each PostgreSQL suite creates its own database and drops it afterwards.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type Database } from "../../src/db/database.js";

export type DatabaseKind = "pglite" | "postgres";

// eslint-disable-next-line no-restricted-properties -- tests read their own switches
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** The kinds every integration suite runs against. */
export const databaseKinds: DatabaseKind[] = TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase {
  database: Database;
  /** A URL for the server under test (postgres only). */
  url: string | null;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  const name = `swl_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ kind: "pglite", dataDir: null });
    return { database, url: null, drop: () => database.close() };
  }
  const pg = await createPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url: pg.url, maxConnections: 10 });
  return {
    database,
    url: pg.url,
    async drop() {
      await database.close();
      await pg.drop();
    },
  };
}
