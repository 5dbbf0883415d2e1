/** GET /api/stats/overview: totals (wins, losses, draws), win rate and a page of the most recent games. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { paging, statsFilter } from "./query.js";

export const overviewRoute = new Hono<AppEnv>().get("/overview", async (c) =>
  c.json(await c.var.deps.services.stats.overview(c.var.user.id, statsFilter(c), paging(c))),
);
