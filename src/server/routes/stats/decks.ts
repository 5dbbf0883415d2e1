/** GET /api/stats/decks: games, wins, losses, draws and win rate by deck (id and name), with its latest leader and base. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { parseQuery, StatsFilterQuery } from "./query.js";

export const decksRoute = new Hono<AppEnv>().get("/decks", async (c) => c.json(await c.get("deps").services.stats.decks(c.get("user").id, parseQuery(StatsFilterQuery, c))));
