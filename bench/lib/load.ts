/**
 * One load run: autocannon (programmatic, in this process) against the server process, with a
 * request generator per case (setupRequest) and an optional response hook (onResponse, e.g. to
 * put a rotated refresh token back into its pool). Measured alongside: latency of every 2xx
 * response (sub-millisecond, kept here rather than autocannon's 1 ms histogram), the server's
 * largest VmRSS, CPU time of the server, PostgreSQL and the machine, and the database's own
 * counters (commits, blocks, WAL) per request.
 */
import autocannon from "autocannon";
import type { Sql } from "postgres";
import { machineCpu, postgresCpu, processCpu, sampleRss } from "./proc.js";

export interface NextRequest {
  method: "GET" | "POST";
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Called with the response of this request (status and body text). */
  onResponse?: (status: number, body: string) => void;
}

/** A case's request source: `next()` is called once per request sent. */
export interface RequestSource {
  next(): NextRequest;
  /** Problems the source noticed (pool exhausted, unexpected answers), for the report. */
  notes?(): string[];
  /** Requests that had to reuse a single-use item (pool exhausted): their 4xx answers are the pool's fault, not the server's. */
  reused?(): number;
}

interface DbCounters {
  commits: number;
  rollbacks: number;
  blksRead: number;
  blksHit: number;
  tupInserted: number;
  tupUpdated: number;
  walRecords: number;
  walFpi: number;
  walBytes: number;
}

async function dbCounters(monitor: Sql): Promise<DbCounters> {
  const [d] = await monitor.unsafe<Record<string, string>[]>(`
    select xact_commit, xact_rollback, blks_read, blks_hit, tup_inserted, tup_updated,
           w.wal_records, w.wal_fpi, w.wal_bytes
    from pg_stat_database, pg_stat_wal w where datname = current_database()`);
  const n = (k: string) => Number(d?.[k] ?? 0);
  return {
    commits: n("xact_commit"),
    rollbacks: n("xact_rollback"),
    blksRead: n("blks_read"),
    blksHit: n("blks_hit"),
    tupInserted: n("tup_inserted"),
    tupUpdated: n("tup_updated"),
    walRecords: n("wal_records"),
    walFpi: n("wal_fpi"),
    walBytes: n("wal_bytes"),
  };
}

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  latencies: number[];
  rssMb: number;
  /** CPU milliseconds per successful request. */
  cpu: { server: number; postgres: number; machine: number; loadGenerator: number };
  /** Database counters per successful request (cluster-wide for WAL). */
  db: DbCounters | null;
  statuses: Record<string, number>;
  notes: string[];
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export async function runLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  source: RequestSource;
  serverPid: number;
  monitor?: Sql;
  /** Called after the run started and before it ends (e.g. to start a profile). */
  around?: { start(): Promise<void>; stop(): Promise<void> };
}): Promise<LoadResult> {
  const { source } = options;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  interface Ctx {
    item?: NextRequest;
  }
  const before = {
    server: processCpu(options.serverPid),
    postgres: postgresCpu(),
    machine: machineCpu(),
    self: process.cpuUsage(),
    db: options.monitor ? await dbCounters(options.monitor) : null,
  };
  await options.around?.start();
  const rss = sampleRss(options.serverPid);
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (req, context) => {
          const item = source.next();
          (context as Ctx).item = item;
          const headers: Record<string, string> = { ...(item.headers ?? {}) };
          if (item.body !== undefined) headers["content-type"] ??= "application/json";
          return { ...req, method: item.method, path: item.path, body: item.body, headers };
        },
        onResponse: (status, body, context) => {
          (context as Ctx).item?.onResponse?.(status, body);
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const rssMb = rss.stop();
  await options.around?.stop();
  const self = process.cpuUsage(before.self);
  const after = { server: processCpu(options.serverPid), postgres: postgresCpu(), machine: machineCpu(), db: options.monitor ? await dbCounters(options.monitor) : null };
  const ok = latencies.length;
  const per = (x: number) => (ok > 0 ? x / ok : NaN);
  latencies.sort((a, b) => a - b);
  const notes = [...(source.notes?.() ?? [])];
  const failed = Object.entries(statuses).filter(([s]) => !s.startsWith("2")).reduce((n, [, c]) => n + c, 0) + result.errors + result.timeouts;
  if (result.errors || result.timeouts) notes.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  let db: DbCounters | null = null;
  if (before.db && after.db) {
    const b = before.db;
    const a = after.db;
    db = Object.fromEntries(Object.keys(a).map((k) => [k, per(a[k as keyof DbCounters] - b[k as keyof DbCounters])])) as unknown as DbCounters;
  }
  return {
    ok,
    failed,
    seconds,
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    latencies,
    rssMb,
    cpu: {
      server: per(after.server - before.server),
      postgres: per(after.postgres - before.postgres),
      machine: per(after.machine - before.machine),
      loadGenerator: per((self.user + self.system) / 1000),
    },
    db,
    statuses,
    notes,
  };
}

/** Two runs of one case as one (floors measured before and after the cases). */
export function mergeResults(a: LoadResult, b: LoadResult): LoadResult {
  const latencies = [...a.latencies, ...b.latencies].sort((x, y) => x - y);
  const ok = a.ok + b.ok;
  const w = (x: number, y: number) => (x * a.ok + y * b.ok) / ok;
  const statuses = { ...a.statuses };
  for (const [k, v] of Object.entries(b.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    ok,
    failed: a.failed + b.failed,
    seconds: a.seconds + b.seconds,
    rps: ok / (a.seconds + b.seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    latencies,
    rssMb: Math.max(a.rssMb, b.rssMb),
    cpu: {
      server: w(a.cpu.server, b.cpu.server),
      postgres: w(a.cpu.postgres, b.cpu.postgres),
      machine: w(a.cpu.machine, b.cpu.machine),
      loadGenerator: w(a.cpu.loadGenerator, b.cpu.loadGenerator),
    },
    db:
      a.db && b.db
        ? (Object.fromEntries(Object.keys(a.db).map((k) => [k, w(a.db![k as keyof DbCounters], b.db![k as keyof DbCounters])])) as unknown as DbCounters)
        : null,
    statuses,
    notes: [...a.notes, ...b.notes],
  };
}
