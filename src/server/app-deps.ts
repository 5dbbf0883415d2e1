/**
 * The app's dependencies from the configuration and an open database: accounts, the domain
 * services, rate limits and metrics. One wiring for the server (start.ts), the bench server
 * (bench/server.ts), the statistics bench (bench/stats.ts) and the tests (test/support/test-app.ts);
 * where they differ, it is an option here. Opens nothing and registers nothing: the caller owns
 * the database, the Redis connection and the partner registrations (the demo partner's too).
 */
import type { Redis } from "ioredis";
import { createAuth } from "../auth/auth.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { createServices } from "../services.js";
import type { AppDeps, Clock } from "./app-env.js";
import type { Logger } from "../logger.js";
import { createMetrics } from "./metrics/metrics.js";
import { createRateLimits } from "./rate-limit/limiters.js";
import { describeError } from "./render-error.js";

export interface AppDepsOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** Default: the wall clock. */
  clock?: Clock | undefined;
  /** The built web app's folder; default null (no pages). */
  webRoot?: string | null;
  /** Keep the rate-limit counters in this Redis (REDIS_URL) instead of the database. */
  redis?: Redis | null | undefined;
  /** Log (warn) an audit event that could not be written; default true. The tests and the statistics bench leave it out. */
  logAuditErrors?: boolean;
}

/** The deps with `demo: null`: a caller that runs the demo partner registers it and sets it (`{ ...deps, demo }`). */
export function buildAppDeps(options: AppDepsOptions): AppDeps {
  const { config, database, logger } = options;
  const auth = createAuth({ config, db: database.db, logger });
  const clock = options.clock ?? (() => new Date());
  const metrics = config.metricsToken ? createMetrics({ poolStats: () => database.poolStats() }) : null;
  const services = createServices({
    config,
    db: database.db,
    dbKind: database.kind,
    readDb: database.readDb,
    clock,
    observer: metrics?.domain,
    ...(options.logAuditErrors === false ? {} : { onAuditError: (err: unknown) => logger.warn({ err: describeError(err) }, "audit event not recorded") }),
  });
  const store = options.redis ? { redis: options.redis } : { db: database.db };
  const rateLimits = config.rateLimits ? createRateLimits(config.rateLimits, store, metrics?.rateLimitRefused) : null;
  return {
    config,
    database,
    logger,
    auth,
    services,
    clock,
    rateLimits,
    metrics,
    demo: null,
    webRoot: options.webRoot ?? null,
  };
}
