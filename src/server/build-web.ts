/**
 * `npm start` serves the production build of the web app and builds it first when it is
 * missing or older than any source file it comes from.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WEB_BUILD_DIR = join(PROJECT_ROOT, "dist", "web");
const WEB_SOURCES = ["src/web", "index.html", "vite.config.ts", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * True when dist/web is missing or older than a source file. Without the web sources (a production
 * install holds only the builds: scripts/build.ts, RUNTIME_FILES) the build is what there is.
 */
export function webBuildIsStale(): boolean {
  const built = join(WEB_BUILD_DIR, "index.html");
  if (!existsSync(built)) return true;
  if (!existsSync(join(PROJECT_ROOT, "src", "web"))) return false;
  const builtAt = statSync(built).mtimeMs;
  return WEB_SOURCES.some((p) => newestMtime(join(PROJECT_ROOT, p)) > builtAt);
}

export async function ensureWebBuild(logger: Logger): Promise<string> {
  if (webBuildIsStale()) {
    logger.info("building the web app (missing or stale)...");
    const started = Date.now();
    const { build } = await import("vite");
    await build({ root: PROJECT_ROOT, logLevel: "warn", configFile: join(PROJECT_ROOT, "vite.config.ts") });
    logger.info({ durationMs: Date.now() - started }, "web app built");
  }
  return WEB_BUILD_DIR;
}
