/**
 * Serves the built web app: files under `webRoot`, and index.html for any other GET that is
 * not an API path (client-side routes like /settings/integrations).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import type { AppEnv } from "./app-env.js";

export function webRoutes(webRoot: string) {
  let indexHtml: string | null = null;
  return new Hono<AppEnv>()
    .use(
      "/assets/*",
      serveStatic({
        root: webRoot,
        onFound: (_path, c) => {
          c.header("Cache-Control", "public, max-age=31536000, immutable");
        },
      }),
    )
    .use("*", serveStatic({ root: webRoot, index: "__no_index__" }))
    .get("*", async (c) => {
      indexHtml ??= await readFile(join(webRoot, "index.html"), "utf8");
      c.header("Cache-Control", "no-cache");
      return c.html(indexHtml);
    });
}
