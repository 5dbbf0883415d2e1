/**
 * Opens the database the configuration asks for and applies the committed migrations:
 * PostgreSQL through postgres.js when a URL is given, otherwise PGlite (Postgres in WASM)
 * stored in a folder, or in memory for tests. The same schema, migrations and queries serve both.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | {
      kind: "postgres";
      url: string;
      maxConnections?: number;
      /** Named prepared statements (default true): see DATABASE_PREPARED_STATEMENTS in src/config.ts. */
      preparedStatements?: boolean;
    }
  | { kind: "pglite"; dataDir: string | null };

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A request's claim on the database. Once `closed` (the request timeout answered 503), the
 * request's handler, which keeps running, starts no further query: it gets
 * QueryScopeClosedError instead. Otherwise its late writes would land after the partner has
 * retried and moved on (a late refresh of a token that the retry already rotated looks like a
 * replay and revokes the link). Queries already sent still complete; each write is one
 * statement or transaction.
 */
export interface QueryScope {
  closed: boolean;
}
const queryScopes = new AsyncLocalStorage<QueryScope>();

export function runInQueryScope<T>(scope: QueryScope, fn: () => T): T {
  return queryScopes.run(scope, fn);
}

/**
 * Runs `fn` outside any request's scope: a statement sent for many requests at once
 * (src/repositories/batching) must not fail because the request that happened to send it timed out.
 */
export function runOutsideQueryScope<T>(fn: () => T): T {
  return queryScopes.exit(fn);
}

/**
 * The scope of the request being handled, if any. It is the one request-scoped
 * AsyncLocalStorage of the server: other request-scoped state (the password queue's, see
 * src/auth/password-hashing.ts) hangs off this object rather than opening a storage of its own,
 * since on Node 20 every enabled AsyncLocalStorage costs a propagation on each promise created.
 */
export function currentQueryScope(): QueryScope | undefined {
  return queryScopes.getStore();
}

/** Its `code` makes the error handler treat it like any database timeout (503, a warning). */
export class QueryScopeClosedError extends Error {
  readonly code = "ETIMEDOUT";
  constructor() {
    super("the request timed out; no further queries are started for it");
    this.name = "QueryScopeClosedError";
  }
}

function checkQueryScope(): void {
  if (queryScopes.getStore()?.closed) throw new QueryScopeClosedError();
}

/**
 * Whether drizzle's statements run as named prepared statements. drizzle sends every query
 * through postgres.js's `unsafe(text, params, { prepare: false })`, so PostgreSQL parses and plans
 * each statement on every call; the hot statements here are multi-CTE writes whose planning costs
 * about as much as their execution. Turned on once migrations are applied (postgres.js then keeps
 * one prepared statement per query text and connection).
 */
interface StatementMode {
  prepare: boolean;
}

/** The postgres.js client as drizzle uses it (unsafe, begin, savepoint), honouring query scopes. */
function scoped<T extends object>(client: T, mode: StatementMode): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "unsafe")
        return (...args: unknown[]) => {
          checkQueryScope();
          // unsafe(text, params, options): only statements with parameters (the others go as simple queries).
          if (mode.prepare && Array.isArray(args[1]) && args[1].length > 0) args[2] = { ...(args[2] as object | undefined), prepare: true };
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      if (prop === "begin" || prop === "savepoint")
        return (...args: unknown[]) => {
          checkQueryScope();
          const last = args.length - 1;
          const body = args[last] as (inner: object) => unknown;
          args[last] = (inner: object) => body(scoped(inner, mode));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value;
    },
  });
}

export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<Database> {
  const runMigrations = options.migrate ?? true;
  if (target.kind === "postgres") {
    const client = postgres(target.url, {
      max: target.maxConnections ?? 20,
      idle_timeout: 30,
      connect_timeout: 5,
      // Reconnect within a second once the database is back. postgres.js's default backoff grows
      // to 10-20 s after a few failed attempts (counted across the pool), keeping queries queued
      // past the request timeout and the pool down long after an outage ends.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
      onnotice: () => {},
    });
    const mode: StatementMode = { prepare: false };
    const db = drizzlePostgres(scoped(client, mode), { schema });
    if (runMigrations) await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    mode.prepare = target.preparedStatements ?? true;
    return {
      db: db as unknown as Db,
      kind: "postgres",
      ping: (ms = 2000) => withTimeout(client`select 1`.then(() => undefined), ms, "database ping"),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  if (runMigrations) await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    ping: (ms = 2000) => withTimeout(db.execute(sql`select 1`).then(() => undefined), ms, "database ping"),
    close: () => client.close(),
  };
}
