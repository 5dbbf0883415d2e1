/** GET /api/stats/matches: best-of-three matches (runs of games in one lobby, a rematch being another match), newest first, paged. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { PagedStatsQuery, parseQuery } from "./query.js";

export const matchesRoute = new Hono<AppEnv>().get("/matches", async (c) => {
  const { filter, paging } = parseQuery(PagedStatsQuery, c);
  return c.json(await c.get("deps").services.stats.matches(c.get("user").id, filter, paging));
});
