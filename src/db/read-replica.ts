/**
 * Reads that may lag a moment behind the writes (statistics) go to a streaming replica when
 * DATABASE_READ_URL is set. The replica is put in front of drizzle as a postgres.js client whose
 * `unsafe` (every drizzle statement) and `begin` (a read transaction) run on the replica, and
 * again on the primary when the replica fails:
 *
 * - unavailable (connection refused, reset or lost, shutting down or starting up, too many
 *   connections, no answer within `timeoutMs`): the read runs on the primary, and so does every
 *   read for the next `retryAfterMs`; then one read (the probe) tries the replica again while the
 *   others stay on the primary, until it answers.
 * - a recovery conflict (a hot standby cancels a query that holds rows its replay must remove):
 *   that one read runs again on the primary; the replica stays in use.
 * - any other error is the query's own (the primary would answer the same): it is thrown.
 *
 * `onEvent` hears when the replica goes down, that it is still down (at most once per
 * `logEveryMs`, counting the reads the primary served meanwhile) and when it answers again: log
 * lines, never one per request (a new outage needs an answered probe first: one per retryAfterMs).
 */
import type { Sql } from "postgres";

export type ReplicaEvent =
  | { kind: "down"; error: unknown; retryAfterMs: number }
  | { kind: "still-down"; error: unknown; downForMs: number; primaryReads: number }
  | { kind: "up"; downForMs: number; primaryReads: number };
// primaryReads: the reads the primary served since the replica went down.

export interface ReadRoutingOptions {
  timeoutMs: number;
  retryAfterMs: number;
  onEvent: (event: ReplicaEvent) => void;
  /** "Still down" warnings at most this often; default one a minute. */
  logEveryMs?: number;
  now?: () => number;
}

/** No answer from the replica in time: a read abandoned there and run on the primary. */
export class ReplicaTimeoutError extends Error {
  readonly code = "REPLICA_TIMEOUT";
  constructor(ms: number) {
    super(`the read replica did not answer within ${ms} ms`);
    this.name = "ReplicaTimeoutError";
  }
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "REPLICA_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, or not yet accepting read-only connections)
  "53300", // too_many_connections
]);
/** SQLSTATE 40001 on a standby: "canceling statement due to conflict with recovery". */
const RECOVERY_CONFLICT = "40001";

/** Why a replica read should be run on the primary instead, or null when the error is the query's own. */
export function replicaFailure(err: unknown): "unavailable" | "conflict" | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return "unavailable"; // 08xxx: connection exception
    if (code === RECOVERY_CONFLICT) return "conflict";
  }
  if (err instanceof AggregateError) return err.errors.some((e) => replicaFailure(e) === "unavailable") ? "unavailable" : null; // every address refused
  return null;
}

type Route = "replica" | "probe" | "primary";

/** Whether the replica is in use, resting, or being probed; decides each read's route and reports changes. */
export class ReplicaHealth {
  private down: { since: number; retryAt: number; primaryReads: number } | null = null;
  private probing = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private readonly logEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ReadRoutingOptions) {
    this.logEveryMs = options.logEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get isDown(): boolean {
    return this.down !== null;
  }

  route(): Route {
    if (!this.down) return "replica";
    if (!this.probing && this.now() >= this.down.retryAt) {
      this.probing = true;
      return "probe";
    }
    this.down.primaryReads++;
    return "primary";
  }

  /** The replica answered (rows or an error of the query itself). */
  answered(route: Route): void {
    if (route !== "probe" || !this.down) return;
    const { since, primaryReads } = this.down;
    this.down = null;
    this.probing = false;
    this.options.onEvent({ kind: "up", downForMs: this.now() - since, primaryReads });
  }

  /** The replica failed this read, which now runs on the primary. */
  failed(route: Route, error: unknown, why: "unavailable" | "conflict"): void {
    if (why === "conflict") return this.answered(route);
    const now = this.now();
    const { retryAfterMs } = this.options;
    if (!this.down) {
      // Always reported: a new outage follows an answered probe, so at most one per retryAfterMs.
      this.down = { since: now, retryAt: now + retryAfterMs, primaryReads: 1 };
      this.lastWarnAt = now;
      this.options.onEvent({ kind: "down", error, retryAfterMs });
      return;
    }
    this.down.primaryReads++;
    if (route !== "probe") return; // a read already under way when the outage began: reported by the first
    this.probing = false;
    this.down.retryAt = now + retryAfterMs;
    this.warn(now, { kind: "still-down", error, downForMs: now - this.down.since, primaryReads: this.down.primaryReads });
  }

  private warn(now: number, event: ReplicaEvent): void {
    if (now - this.lastWarnAt < this.logEveryMs) return;
    this.lastWarnAt = now;
    this.options.onEvent(event);
  }
}

/**
 * The read, or a ReplicaTimeoutError after `ms`. An abandoned read is not cancelled: postgres.js's
 * `cancel()` opens a connection of its own and drops the promise that reports its failure (an
 * unhandled rejection when the replica is unreachable); the query finishes or fails with its
 * connection, and its late result is ignored.
 */
function withTimeout<T>(read: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const result = Promise.resolve(read);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      result.catch(() => {});
      reject(new ReplicaTimeoutError(ms));
    }, ms);
  });
  return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
}

type UnsafeArgs = Parameters<Sql["unsafe"]>;

/**
 * A drizzle statement's query: postgres.js's is lazy (it runs when awaited) and drizzle asks for
 * `.values()` (rows as arrays) before awaiting, so this one records that and runs on first `then`.
 */
class RoutedQuery implements PromiseLike<unknown> {
  private asValues = false;
  private running: Promise<unknown> | null = null;
  constructor(private readonly run: (asValues: boolean) => Promise<unknown>) {}
  values(): this {
    this.asValues = true;
    return this;
  }
  then<A = unknown, B = never>(onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.running ??= this.run(this.asValues);
    return this.running.then(onFulfilled, onRejected);
  }
}

/**
 * The replica's client as drizzle sees it: reads go to `replica`, and to `primary` when it fails
 * (see the file comment). Everything else (its options, which drizzle adjusts) is the replica's.
 */
export function routeReads(replica: Sql, primary: Sql, options: ReadRoutingOptions): { client: Sql; health: ReplicaHealth } {
  const health = new ReplicaHealth(options);

  async function read<T>(start: (client: Sql) => PromiseLike<T>): Promise<T> {
    const route = health.route();
    if (route === "primary") return start(primary);
    try {
      const value = await withTimeout(start(replica), options.timeoutMs);
      health.answered(route);
      return value;
    } catch (err) {
      const why = replicaFailure(err);
      if (!why) {
        health.answered(route);
        throw err;
      }
      health.failed(route, err, why);
      return start(primary);
    }
  }

  const client = new Proxy(replica, {
    get(target, prop, receiver) {
      if (prop === "unsafe")
        return (...args: UnsafeArgs) =>
          new RoutedQuery((asValues) =>
            read((c) => {
              const query = c.unsafe(...args);
              return asValues ? query.values() : query;
            }),
          );
      if (prop === "begin")
        return (...args: unknown[]) => read((c) => (c.begin as (...a: unknown[]) => Promise<unknown>)(...args));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { client, health };
}
