/** `npm start`: parse the configuration, build the web app when stale, serve. */
import { ConfigError, loadConfig } from "./config.js";
import { ensureWebBuild } from "./server/build-web.js";
import { createLogger } from "./server/logger.js";
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
  const webRoot = await ensureWebBuild(logger);
  const server = await startServer({ config, logger, webRoot });
  logger.info({ url: config.publicUrl, database: server.database.kind }, `Swubase Link listening on ${server.url}`);

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
