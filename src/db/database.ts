/**
 * Opens the database the configuration asks for and applies the committed migrations:
 * PostgreSQL through postgres.js when a URL is given, otherwise PGlite (Postgres in WASM)
 * stored in a folder, or in memory for tests. The same schema, migrations and queries serve both.
 * With a read replica (PostgreSQL only), `readDb` reads there and falls back to the primary
 * while the replica fails (src/db/read-replica.ts).
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
import { routeReads, type ReplicaEvent } from "./read-replica.js";
import * as schema from "./schema.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /**
   * For reads that may lag a moment behind the writes (statistics): on the read replica when one is
   * configured (falling back to the primary while it fails, see src/db/read-replica.ts), else `db`
   * itself. Writes, and reads that must see them (tokens, sessions), use `db`.
   */
  readDb: Db;
  /** The read replica's state; null without one. */
  readReplica: { readonly isDown: boolean } | null;
  kind: "postgres" | "pglite";
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  /** The connection pools' state now (metrics): one entry per postgres.js pool; none for PGlite (one in-process connection, no pool). */
  poolStats(): PoolStats[];
  close(): Promise<void>;
}

/** A postgres.js pool's connections and the queries waiting for one (read from the pool's own queues: patches/README.md). */
export interface PoolStats {
  /** Which pool ("primary"). */
  pool: string;
  /** Its size (the most connections it opens). */
  max: number;
  /** Connections running a query or held by a transaction. */
  inUse: number;
  /** Connections open with nothing to do. */
  idle: number;
  /** Queries queued until a connection can take them. */
  waiting: number;
}

/** The counters of the patched postgres.js pool (`sql.poolStats()`), as PoolStats. */
export function readPoolStats(pool: string, client: Pick<postgres.Sql, "poolStats">): PoolStats {
  const s = client.poolStats();
  return { pool, max: s.max, inUse: s.busy + s.full + s.reserved, idle: s.idle, waiting: s.waiting };
}

export type DatabaseTarget =
  | {
      kind: "postgres";
      url: string;
      maxConnections?: number;
      /** Named prepared statements (default true): see DATABASE_PREPARED_STATEMENTS in src/config.ts. */
      preparedStatements?: boolean;
      /** A streaming replica of `url` for `readDb` (DATABASE_READ_URL). */
      readReplica?: { url: string; timeoutMs: number; retryAfterMs: number; maxConnections?: number };
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

function connect(url: string, maxConnections: number, applicationName?: string) {
  return postgres(url, {
    max: maxConnections,
    idle_timeout: 30,
    connect_timeout: 5,
    // Reconnect within a second once the database is back. postgres.js's default backoff grows
    // to 10-20 s after a few failed attempts (counted across the pool), keeping queries queued
    // past the request timeout and the pool down long after an outage ends.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
    onnotice: () => {},
    ...(applicationName ? { connection: { application_name: applicationName } } : {}),
  });
}

/** The application_name of the read replica's connections (pg_stat_activity on the replica). */
export const READ_APPLICATION_NAME = "swubase-link-read";

/** The advisory lock taken while migrating (any fixed number; the text is "swubase-link migrations"). */
const MIGRATION_LOCK = 0x73776c6d;

/**
 * Runs `fn` while holding a session-level advisory lock on one reserved connection: instances
 * starting together (a rolling deploy, a scaled-out start) apply migrations one at a time. drizzle's
 * migrator takes no lock: each instance read the last applied migration and then ran the same
 * CREATE statements, and all but one failed to start. The next one in finds them applied.
 */
async function oneAtATime<T>(url: string, fn: () => Promise<T>): Promise<T> {
  // Its own connection: a pool of one (DATABASE_MAX_CONNECTIONS=1) cannot lend one to the lock and one to the migrator.
  const lock = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      return await fn();
    } finally {
      await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await lock.end({ timeout: 5 });
  }
}

export async function openDatabase(
  target: DatabaseTarget,
  options: { migrate?: boolean; onReadReplicaEvent?: (event: ReplicaEvent) => void } = {},
): Promise<Database> {
  const runMigrations = options.migrate ?? true;
  if (target.kind === "postgres") {
    const client = connect(target.url, target.maxConnections ?? 20);
    const mode: StatementMode = { prepare: false };
    const db = drizzlePostgres(scoped(client, mode), { schema });
    if (runMigrations) await oneAtATime(target.url, () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }));
    mode.prepare = target.preparedStatements ?? true;
    let readDb = db as unknown as Db;
    let replicaClient: postgres.Sql | null = null;
    let readReplica: Database["readReplica"] = null;
    if (target.readReplica) {
      const { url, timeoutMs, retryAfterMs, maxConnections } = target.readReplica;
      replicaClient = connect(url, maxConnections ?? target.maxConnections ?? 20, READ_APPLICATION_NAME);
      const routed = routeReads(replicaClient, client, { timeoutMs, retryAfterMs, onEvent: options.onReadReplicaEvent ?? (() => {}) });
      readDb = drizzlePostgres(scoped(routed.client, mode), { schema }) as unknown as Db;
      readReplica = routed.health;
    }
    return {
      db: db as unknown as Db,
      readDb,
      readReplica,
      kind: "postgres",
      ping: (ms = 2000) => withTimeout(client`select 1`.then(() => undefined), ms, "database ping"),
      poolStats: () => (replicaClient ? [readPoolStats("primary", client), readPoolStats("replica", replicaClient)] : [readPoolStats("primary", client)]),
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), replicaClient?.end({ timeout: 5 })]);
      },
    };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  if (runMigrations) await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: db as unknown as Db,
    readDb: db as unknown as Db,
    readReplica: null,
    kind: "pglite",
    ping: (ms = 2000) => withTimeout(db.execute(sql`select 1`).then(() => undefined), ms, "database ping"),
    poolStats: () => [],
    close: () => client.close(),
  };
}
