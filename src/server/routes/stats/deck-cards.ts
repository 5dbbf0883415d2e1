/**
 * GET /api/stats/decks/:deckId/cards[?deckName=...]: per-card metrics over the user's games with
 * one deck. `deckName` narrows decks that share an id (Karabast sends "unknown" for unlinked decks).
 */
import { Hono } from "hono";
import { badRequest } from "../../../domain/errors.js";
import type { AppEnv } from "../../app-env.js";
import { DeckCardsQuery, parseQuery } from "./query.js";

export const deckCardsRoute = new Hono<AppEnv>().get("/decks/:deckId/cards", async (c) => {
  const id = c.req.param("deckId");
  if (id.length > 200) throw badRequest("deckId is too long (at most 200 characters)");
  const { filter, deckName } = parseQuery(DeckCardsQuery, c);
  return c.json(await c.get("deps").services.stats.deckCards(c.get("user").id, filter, { id, name: deckName }));
});
