/** GET /api/stats/overview: totals (wins, losses, draws), win rate and a page of the most recent games. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { PagedStatsQuery, parseQuery } from "./query.js";

export const overviewRoute = new Hono<AppEnv>().get("/overview", async (c) => {
  const { filter, paging } = parseQuery(PagedStatsQuery, c);
  return c.json(await c.get("deps").services.stats.overview(c.get("user").id, filter, paging));
});
