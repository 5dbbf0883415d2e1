/** GET /api/stats/matchups: games, wins, losses, draws and win rate by the user's leader against the opponent's leader. */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { statsFilter } from "./query.js";

export const matchupsRoute = new Hono<AppEnv>().get("/matchups", async (c) => c.json(await c.var.deps.services.stats.matchups(c.var.user.id, statsFilter(c))));
