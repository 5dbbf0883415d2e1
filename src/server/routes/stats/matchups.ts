/**
 * GET /api/stats/matchups?by=leader|deck&minGames=N: the matchup matrix, the user's leader (or deck)
 * against the opponent's leader (`items`) and base (`byOpponentBase`), cells under N games left out.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { MatchupsQuery, parseQuery } from "./query.js";

export const matchupsRoute = new Hono<AppEnv>().get("/matchups", async (c) => {
  const { filter, options } = parseQuery(MatchupsQuery, c);
  return c.json(await c.get("deps").services.stats.matchups(c.get("user").id, filter, options));
});
