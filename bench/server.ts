/**
 * The server the benchmarks measure, in its own process, started by bench/lib/server-process.ts
 * as `npm start` runs src/main.ts (bundled into dist/bench/server.js by scripts/build.ts, plain
 * node with the same heap flags; or `node --import tsx bench/server.ts` for the tsx comparison). It is wired like src/server/start.ts, by the same
 * buildAppDeps (same config, database pool, auth, services, configured Karabast client, rate limits when on, counted in the database) and
 * adds only the bench routes of bench/server-routes.ts on top (and, like start.ts, runs the meta refresh). Configuration comes from the
 * environment through src/config.ts like `npm start`; BENCH_PROFILE_DIR is where CPU profiles go.
 * Reports `{ ready, port, pid }` over IPC when listening; SIGTERM stops it gracefully (which also
 * writes a `--cpu-prof` profile).
 */
import { serve } from "@hono/node-server";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { createApp } from "../src/server/app.js";
import { buildAppDeps } from "../src/server/app-deps.js";
import { createLogger } from "../src/logger.js";
import { describeError } from "../src/server/render-error.js";
import { schedulePeriodicJob } from "../src/domain/jobs/periodic-job.js";
import { STATS_REFRESH } from "../src/server/start.js";
import { appBenchRoutes, bareBenchRoutes } from "./server-routes.js";

/** `/bench/…` (not `/bench-api/…`) goes to the bare routes; everything else to the app. */
function isBarePath(url: string): boolean {
  return url.startsWith("/bench/", url.indexOf("/", url.indexOf("//") + 2));
}

async function main() {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) throw new Error("the bench server needs DATABASE_URL");
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase({ kind: "postgres", url: config.databaseUrl, preparedStatements: config.preparedStatements });
  // Rate-limit counters in the database even when REDIS_URL is set: the bench server connects no Redis.
  const deps = buildAppDeps({ config, database, logger });
  const { services } = deps;
  if (config.karabast) await services.clients.upsertConfigured(config.karabast);
  const app = createApp(deps);
  app.route("/bench-api", appBenchRoutes(deps));
  const bare = bareBenchRoutes(deps, { profileDir: process.env.BENCH_PROFILE_DIR ?? "bench/tmp/profiles" });

  // The statistics' refresh job (meta, card tallies), as src/server/start.ts schedules it
  // (BENCH_META_REFRESH_MS: another interval, to measure its cost).
  const stopStatsRefresh = schedulePeriodicJob(
    services.statsRefresh.runOnce,
    { ...STATS_REFRESH, intervalMs: Number(process.env.BENCH_META_REFRESH_MS ?? STATS_REFRESH.intervalMs) },
    ({ error }) => {
      if (error) logger.warn({ err: describeError(error) }, "statistics refresh failed");
    },
  );

  const server = serve(
    {
      fetch: (req: Request, env: unknown) => (isBarePath(req.url) ? bare.fetch(req, env) : app.fetch(req, env)),
      port: config.port,
      hostname: config.host,
    },
    (info) => process.send?.({ ready: true, port: info.port, pid: process.pid }),
  );

  const stop = () => {
    server.close(() => {
      stopStatsRefresh()
        .then(() => database.close())
        .finally(() => process.exit(0));
    });
    if ("closeAllConnections" in server) server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("disconnect", stop); // the bench process went away
}

main().catch((err: unknown) => {
  console.error("bench server failed to start:", err);
  process.exit(1);
});
