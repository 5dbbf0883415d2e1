/**
 * GET /api/me/uncounted-games: "why wasn't my game counted?" — the newest games (at most 50) that
 * a partner reported for one of the signed-in user's partner ids while the user owned that id,
 * but that were not attributed to them, each with the reason code. Only the owner sees them.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { requireUser } from "../../middleware/session.js";

export const meUncountedGamesRoute = new Hono<AppEnv>().get("/uncounted-games", requireUser(), async (c) => {
  const games = await c.get("deps").services.games.uncountedGames(c.get("user").id);
  c.header("Cache-Control", "no-store");
  return c.json({ games });
});
