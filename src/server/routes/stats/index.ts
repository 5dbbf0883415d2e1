/** Everything under /api/stats: one user's own statistics (session cookie, or a Bearer token with the `stats` scope). */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { basesRoute } from "./bases.js";
import { cardsRoute } from "./cards.js";
import { deckCardsRoute } from "./deck-cards.js";
import { decksRoute } from "./decks.js";
import { exportRoute } from "./export.js";
import { leadersRoute } from "./leaders.js";
import { matchesRoute } from "./matches.js";
import { matchupsRoute } from "./matchups.js";
import { overviewRoute } from "./overview.js";
import { statsAuth } from "./stats-auth.js";
import { weeklyRoute } from "./weekly.js";

export function statsRoutes() {
  return new Hono<AppEnv>()
    .use("*", statsAuth())
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
    .route("/", cardsRoute)
    .route("/", matchesRoute)
    .route("/", weeklyRoute)
    .route("/", exportRoute);
}
