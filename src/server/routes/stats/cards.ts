/**
 * GET /api/stats/cards: per card over the user's decks (narrowed by `deck`, `leader` and the other
 * filters), results in deck, when drawn, not drawn, played and resourced, with the improvement when drawn.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { parseQuery, StatsFilterQuery } from "./query.js";

export const cardsRoute = new Hono<AppEnv>().get("/cards", async (c) => c.json(await c.get("deps").services.stats.cards(c.get("user").id, parseQuery(StatsFilterQuery, c))));
