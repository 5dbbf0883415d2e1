/** GET /api/stats/weekly: games, wins, losses, draws and win rate per ISO week (Monday, UTC), empty weeks included. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { parseQuery, StatsFilterQuery } from "./query.js";

export const weeklyRoute = new Hono<AppEnv>().get("/weekly", async (c) => c.json(await c.get("deps").services.stats.weekly(c.get("user").id, parseQuery(StatsFilterQuery, c))));
