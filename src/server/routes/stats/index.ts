/** Everything under /api/stats: the signed-in user's own statistics (session cookie). */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { requireUser } from "../../middleware/session.js";
import { basesRoute } from "./bases.js";
import { deckCardsRoute } from "./deck-cards.js";
import { decksRoute } from "./decks.js";
import { leadersRoute } from "./leaders.js";
import { matchesRoute } from "./matches.js";
import { matchupsRoute } from "./matchups.js";
import { overviewRoute } from "./overview.js";
import { weeklyRoute } from "./weekly.js";

export function statsRoutes() {
  return new Hono<AppEnv>()
    .use("*", requireUser())
    .use("*", async function privateNoStore(c, next) {
      await next();
      c.header("Cache-Control", "private, no-store");
    })
    .route("/", overviewRoute)
    .route("/", leadersRoute)
    .route("/", basesRoute)
    .route("/", decksRoute)
    .route("/", deckCardsRoute)
    .route("/", matchupsRoute)
    .route("/", matchesRoute)
    .route("/", weeklyRoute);
}
