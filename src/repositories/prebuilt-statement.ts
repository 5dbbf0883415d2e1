/**
 * Hot statements built once with placeholders instead of by drizzle's builder on every call
 * (the builder was ~6% of a refresh's server CPU). Whether they run as named prepared statements
 * stays the session's setting (DATABASE_PREPARED_STATEMENTS, src/db/database.ts), so they are
 * given no name here. `db._.session.prepareQuery` is drizzle's internal API, used only here:
 * check this file when upgrading drizzle.
 */
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "../db/database.js";

const dialect = new PgDialect();

/** A named parameter, filled from `execute({ name: value })`; a name may appear many times. */
export const placeholder = (name: string) => sql.placeholder(name);

/** A timestamp parameter: raw parameters are not mapped by column type, so it goes as ISO text. */
export const timestampPlaceholder = (name: string) => sql`${placeholder(name)}::timestamptz`;

export function prebuildStatement(db: Db, statement: SQL) {
  return db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, undefined, false);
}
