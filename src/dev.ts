/**
 * `npm run dev`: the API on PORT+1 (127.0.0.1 only) behind Vite's dev server on PORT, which
 * serves the web app with hot reload and proxies the server paths. PUBLIC_URL stays the Vite
 * URL, so cookies and better-auth's origin check see the address the browser uses.
 */
import { join } from "node:path";
import { createServer } from "vite";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { PROJECT_ROOT } from "./server/build-web.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server/start.js";

const PROXIED_PATHS = ["/api", "/demo", "/oauth", "/.well-known"];

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function main() {
  const config = readConfig();
  const logger = createLogger({ level: config.logLevel });

  const api = await startServer({ config: { ...config, port: config.port + 1, host: "127.0.0.1" }, logger, webRoot: null });
  const apiUrl = `http://127.0.0.1:${api.port}`;

  let vite;
  try {
    vite = await createServer({
      root: PROJECT_ROOT,
      configFile: join(PROJECT_ROOT, "vite.config.ts"),
      server: {
        port: config.port,
        host: config.host,
        strictPort: true,
        proxy: Object.fromEntries(PROXIED_PATHS.map((path) => [path, apiUrl])),
      },
    });
    await vite.listen();
  } catch (err) {
    await api.stop();
    throw err;
  }

  logger.info({ api: apiUrl, database: api.database.kind }, `Swubase Link (development) at ${config.publicUrl}`);
  vite.printUrls();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    Promise.allSettled([vite.close(), api.stop()]).then((results) => {
      const failed = results.find((r) => r.status === "rejected");
      if (failed) logger.error({ err: failed.reason }, "error while stopping");
      process.exit(failed ? 1 : 0);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error("Swubase Link (development) failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
