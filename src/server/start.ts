/**
 * Wires configuration, database, accounts and the HTTP app together and listens.
 * Used by `npm start` (src/main.ts), `npm run dev` and the end-to-end tests.
 */
import { serve, type ServerType } from "@hono/node-server";
import { createAuth } from "../auth/auth.js";
import type { Config } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import { registerDemoClient } from "../demo/karabast/demo-client.js";
import { createServices } from "../services.js";
import { Redis } from "ioredis";
import { createApp } from "./app.js";
import { describeError } from "./render-error.js";
import { createRateLimits } from "./rate-limit/limiters.js";
import type { Clock } from "./app-env.js";
import type { Logger } from "./logger.js";

/** How often expired tokens, approvals and rate-limit counters are pruned (src/domain/housekeeping). */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;

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
    config.databaseUrl ? { kind: "postgres", url: config.databaseUrl, preparedStatements: config.preparedStatements } : { kind: "pglite", dataDir: `${config.dataDir}/pglite` },
  );
  const auth = createAuth({ config, db: database.db, logger });
  const clock = options.clock ?? (() => new Date());
  const services = createServices({ config, db: database.db, dbKind: database.kind, clock, onAuditError: (err) => logger.warn({ err: describeError(err) }, "audit event not recorded") });
  if (config.karabast) await services.clients.upsertConfigured(config.karabast);
  const demo = config.demoPartner && !config.isProduction ? await registerDemoClient(services.clients, config.publicUrl) : null;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: false }) : null;
  const rateLimits = config.rateLimits ? createRateLimits(config.rateLimits, redis ? { redis } : { db: database.db }) : null;
  const app = createApp({
    config,
    database,
    logger,
    auth,
    services,
    clock,
    demo,
    rateLimits,
    webRoot: options.webRoot,
  });

  const stopHousekeeping = services.housekeeping.schedule(HOUSEKEEPING_INTERVAL_MS, ({ counts, error }) => {
    if (error) logger.warn({ err: describeError(error) }, "housekeeping failed; retried at the next interval");
    else if (counts && Object.values(counts).some((n) => n > 0)) logger.info({ pruned: counts }, "housekeeping pruned expired rows");
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
        redis?.disconnect();
        await database.close();
      })();
      return stopping;
    },
  };
}
