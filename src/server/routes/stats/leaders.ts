/** GET /api/stats/leaders: games, wins, losses, draws and win rate by the leader the user played. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { parseQuery, StatsFilterQuery } from "./query.js";

export const leadersRoute = new Hono<AppEnv>().get("/leaders", async (c) => c.json(await c.get("deps").services.stats.leaders(c.get("user").id, parseQuery(StatsFilterQuery, c))));
