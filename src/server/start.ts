/**
 * Wires configuration, database, accounts and the HTTP app together and listens.
 * Used by `npm start` (src/main.ts), `npm run dev` and the end-to-end tests.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { Config } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import type { ReplicaEvent } from "../db/read-replica.js";
import { registerDemoClient } from "../demo/karabast/demo-client.js";
import { schedulePeriodicJob } from "../domain/jobs/periodic-job.js";
import { createApp } from "./app.js";
import { buildAppDeps } from "./app-deps.js";
import { describeError } from "./render-error.js";
import { connectRedis } from "./rate-limit/redis.js";
import type { Clock } from "./app-env.js";
import type { Logger } from "../logger.js";

/** How often expired tokens, approvals and rate-limit counters are pruned (src/domain/housekeeping). */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
/** How often the meta across players takes in new games and opt-outs (src/domain/meta/meta-refresh.ts); the first run soon after start. */
/** The statistics' background job (src/domain/jobs/stats-refresh.ts): the meta, then the card tallies. */
export const STATS_REFRESH = { intervalMs: 60 * 1000, firstDelayMs: 5 * 1000 };

/** The read replica's outages and recoveries: one line each, never one per request (src/db/read-replica.ts). */
function logReadReplicaEvent(logger: Logger, event: ReplicaEvent): void {
  if (event.kind === "up") {
    logger.info({ downForMs: event.downForMs, primaryReads: event.primaryReads }, "read replica answering again: statistics are read from it");
  } else if (event.kind === "down") {
    logger.warn(
      { err: describeError(event.error), retryInSeconds: event.retryAfterMs / 1000 },
      "read replica unavailable: statistics are read from the primary until it answers again",
    );
  } else {
    logger.warn(
      { err: describeError(event.error), downForMs: event.downForMs, primaryReads: event.primaryReads },
      "read replica still unavailable: statistics are read from the primary",
    );
  }
}

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

export async function startServer(options: {
  config: Config;
  logger: Logger;
  webRoot: string | null;
  clock?: Clock;
}): Promise<RunningServer> {
  const { config, logger } = options;
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: "postgres", url: config.databaseUrl, preparedStatements: config.preparedStatements, ...(config.readReplica ? { readReplica: config.readReplica } : {}) }
      : { kind: "pglite", dataDir: `${config.dataDir}/pglite` },
    { onReadReplicaEvent: (event) => logReadReplicaEvent(logger, event) },
  );
  const redis =
    config.redisUrl && config.rateLimits
      ? await connectRedis({
          url: config.redisUrl,
          keyPrefix: config.redisKeyPrefix,
          onError: (err) => logger.warn({ err: describeError(err) }, "Redis connection error: rate limits count in this instance's memory until it is back"),
        })
      : null;
  const deps = buildAppDeps({ config, database, logger, clock: options.clock, webRoot: options.webRoot, redis });
  const { services } = deps;
  if (config.karabast) await services.clients.upsertConfigured(config.karabast);
  const demo = config.demoPartner && !config.isProduction ? await registerDemoClient(services.clients, config.publicUrl) : null;
  const app = createApp({ ...deps, demo });

  const stopHousekeeping = services.housekeeping.schedule(HOUSEKEEPING_INTERVAL_MS, ({ counts, error }) => {
    if (error) logger.warn({ err: describeError(error) }, "housekeeping failed; retried at the next interval");
    else if (counts && Object.values(counts).some((n) => n > 0)) logger.info({ pruned: counts }, "housekeeping pruned expired rows");
  });

  const stopStatsRefresh = schedulePeriodicJob(services.statsRefresh.runOnce, STATS_REFRESH, ({ result, error }) => {
    if (error) logger.warn({ err: describeError(error) }, "statistics refresh (meta, card tallies, export records) failed; retried at the next interval");
    else if (result?.behind)
      logger.info(
        { metaCountedUpTo: result.meta.countedUpTo, cardsFoldedUpTo: result.cards.foldedUpTo, exportedUpTo: result.exports.exportedUpTo },
        "statistics refresh catching up",
      );
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;

  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    database,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeIdleConnections" in server) server.closeIdleConnections();
        });
        await stopHousekeeping();
        await stopStatsRefresh();
        redis?.disconnect();
        await database.close();
      })();
      return stopping;
    },
  };
}
