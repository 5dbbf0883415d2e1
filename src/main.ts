/**
 * The server's entry point: parse the configuration, serve the API and the built web app.
 * `npm start` first builds whatever is missing or stale (`tsx scripts/build.ts --if-stale`: the
 * web app into dist/web, this file bundled into dist/server/main.js), then runs the bundle with
 * plain node and the heap flags of scripts/build.ts (HEAP_FLAGS). The web app is not built here:
 * that would load Vite into the server process for good, under the production heap cap.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { ConfigError, loadConfig } from "./config.js";
import { WEB_BUILD_DIR, webBuildIsStale } from "./server/build-web.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server/start.js";

async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  if (!config.isProduction) {
    logger.warn(
      { generatedKeys: config.generatedSecrets, dataDir: config.dataDir },
      "development mode: missing secrets are generated and kept in DATA_DIR/secrets.json; set NODE_ENV=production for real deployments",
    );
  }
  let webRoot: string | null = WEB_BUILD_DIR;
  if (!existsSync(join(WEB_BUILD_DIR, "index.html"))) {
    logger.error({ webBuildDir: WEB_BUILD_DIR }, "no web build: pages are not served (`npm run build` builds it; `npm start` builds what is missing)");
    webRoot = null;
  } else if (webBuildIsStale()) {
    logger.warn({ webBuildDir: WEB_BUILD_DIR }, "the web build is older than its sources (`npm run build` rebuilds it; `npm start` does it first)");
  }
  const server = await startServer({ config, logger, webRoot });
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  logger.info({ url: config.publicUrl, database: server.database.kind, heapLimitMb }, `Swubase Link listening on ${server.url}`);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    server.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error("Swubase Link failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
