/**
 * GET /api/meta/leaders and GET /api/meta/bases (no sign-in): the meta across players, by leader
 * and by base, from meta_daily (refreshed every minute). Cacheable for a minute: it changes no
 * faster.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { metaFilter } from "./query.js";

export function metaRoutes() {
  return new Hono<AppEnv>()
    .use("*", async function cacheForAMinute(c, next) {
      await next();
      if (c.res.status === 200) c.res.headers.set("Cache-Control", "public, max-age=60");
    })
    .get("/leaders", async (c) => c.json(await c.get("deps").services.meta.leaders(metaFilter(c))))
    .get("/bases", async (c) => c.json(await c.get("deps").services.meta.bases(metaFilter(c))));
}
