/**
 * For suites that test a migration against rows stored before it: a database of either kind with
 * no migration applied, and the committed migrations applied by hand up to the one under test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, openDatabase, type Database, type Db } from "../../src/db/database.js";
import { createPostgresDatabase, type DatabaseKind } from "./databases.js";

const MIGRATIONS = readdirSync(MIGRATIONS_FOLDER).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();

/** Applies the committed migrations `which` selects (by file name), statement by statement, as drizzle's migrator does. */
export async function applyMigrations(db: Db, which: (file: string) => boolean): Promise<void> {
  for (const file of MIGRATIONS.filter(which))
    for (const statement of readFileSync(`${MIGRATIONS_FOLDER}/${file}`, "utf8").split("--> statement-breakpoint"))
      if (statement.trim()) await db.execute(sql.raw(statement));
}

/** An empty database of the given kind, no migration applied. */
export async function emptyDatabase(kind: DatabaseKind): Promise<{ database: Database; drop(): Promise<void> }> {
  if (kind === "pglite") {
    const database = await openDatabase({ kind: "pglite", dataDir: null }, { migrate: false });
    return { database, drop: () => database.close() };
  }
  const pg = await createPostgresDatabase();
  const database = await openDatabase({ kind: "postgres", url: pg.url, maxConnections: 2 }, { migrate: false });
  return {
    database,
    async drop() {
      await database.close();
      await pg.drop();
    },
  };
}
