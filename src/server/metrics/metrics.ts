/**
 * Prometheus metrics (prom-client), kept only when METRICS_TOKEN is set and read at GET /metrics
 * (routes/metrics.ts). Each app has its own registry, so several apps in one process (tests) never
 * share or collide. On the hot path metrics cost a counter increment or one histogram observation
 * on a cached label set; the pool gauges and prom-client's default process metrics (event-loop lag
 * among them) are read only when scraped. Every metric is described in README ("Metrics").
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "../../db/database.js";
import { reuseKinds, unattributedReasons, type DomainObserver } from "../../domain/observer.js";
import { limiterNames, type LimiterName } from "../rate-limit/limiters.js";

/** Request durations: most API answers take milliseconds; the request timeout (4.5 s) ends the range. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Node's HTTP parser accepts a few dozen methods; anything else is counted as OTHER (bounded labels). */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type Observe = (seconds: number) => void;

/**
 * `inc(value)` on a counter with one label, each value's child made once (no label object per
 * increment). The known values start at 0, so a series exists (and rate() works) before its first event.
 */
function byLabel<L extends string>(counter: Counter<L>, known: readonly string[]): (value: string) => void {
  const children = new Map<string, Counter.Internal>();
  for (const value of known) {
    const c = counter.labels(value);
    c.inc(0);
    children.set(value, c);
  }
  return (value) => {
    let c = children.get(value);
    if (!c) children.set(value, (c = counter.labels(value)));
    c.inc();
  };
}

export interface Metrics {
  registry: Registry;
  /** Implements the domain's observer with counters. */
  domain: DomainObserver;
  /** Counts a rate-limit refusal (429) by limiter. */
  rateLimitRefused(limiter: LimiterName): void;
  /** One finished request: `route` is the matched route pattern (never the raw path). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
}

export function createMetrics(options: { poolStats: () => PoolStats[] }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by method, matched route pattern and status, and how long they took",
    labelNames: ["method", "route", "status"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const rotations = new Counter({ name: "swubase_refresh_rotations_total", help: "Refresh tokens rotated into a new pair", registers: [registry] });
  const graceAnswers = new Counter({
    name: "swubase_refresh_grace_answers_total",
    help: "Previous refresh tokens answered with the current pair within the grace window",
    registers: [registry],
  });
  const reuse = byLabel(
    new Counter({
      name: "swubase_token_reuse_detections_total",
      help: "Spent credentials presented again, each revoking its link, by kind",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    reuseKinds,
  );
  const gamesIngested = new Counter({ name: "swubase_games_ingested_total", help: "Game results stored", registers: [registry] });
  const gamesDuplicate = new Counter({ name: "swubase_games_duplicate_total", help: "Game results already stored (same client and game id)", registers: [registry] });
  const seatsUnattributed = byLabel(
    new Counter({
      name: "swubase_game_seats_unattributed_total",
      help: "Seats of stored games that count for no Swubase user, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    unattributedReasons,
  );
  const refusals = byLabel(
    new Counter({
      name: "swubase_rate_limit_refusals_total",
      help: "Requests refused with 429 by a rate limit, by limiter",
      labelNames: ["limiter"] as const,
      registers: [registry],
    }),
    limiterNames,
  );
  const poolGauge = (name: string, help: string, read: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["pool"] as const,
      registers: [registry],
      collect() {
        for (const s of options.poolStats()) this.set({ pool: s.pool }, read(s));
      },
    });
  poolGauge("swubase_db_pool_max", "Database pool size: the most connections it opens (PostgreSQL only)", (s) => s.max);
  poolGauge("swubase_db_pool_in_use", "Database connections running a query or held by a transaction (PostgreSQL only)", (s) => s.inUse);
  poolGauge("swubase_db_pool_idle", "Database connections open with nothing to do (PostgreSQL only)", (s) => s.idle);
  poolGauge("swubase_db_pool_waiting", "Queries queued until a database connection can take them (PostgreSQL only)", (s) => s.waiting);

  // route → method → status → the histogram child: after the first request of a kind, no label
  // object is built and prom-client does not validate labels again.
  const children = new Map<string, Map<string, Map<number, Observe>>>();
  const child = (method: string, route: string, status: number): Observe => {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let observe = byStatus.get(status);
    if (!observe) byStatus.set(status, (observe = requestDuration.labels(method, route, String(status)).observe));
    return observe;
  };

  return {
    registry,
    domain: {
      refreshRotated: () => rotations.inc(),
      refreshGraceAnswered: () => graceAnswers.inc(),
      reuseDetected: reuse,
      gameIngested: () => gamesIngested.inc(),
      gameDuplicate: () => gamesDuplicate.inc(),
      seatUnattributed: seatsUnattributed,
    },
    rateLimitRefused: refusals,
    observeRequest(method, route, status, seconds) {
      child(METHODS.has(method) ? method : "OTHER", route, status)(seconds);
    },
    render: () => registry.metrics(),
  };
}
