/** GET /api/stats/bases: games, wins, losses, draws and win rate by the base the user played. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { parseQuery, StatsFilterQuery } from "./query.js";

export const basesRoute = new Hono<AppEnv>().get("/bases", async (c) => c.json(await c.get("deps").services.stats.bases(c.get("user").id, parseQuery(StatsFilterQuery, c))));
