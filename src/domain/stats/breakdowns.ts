/**
 * The matchup matrix's cells and the per-card metrics, from their SQL rows.
 *
 * Card metrics read like 17lands' for a deck's cards, from what Karabast counts per card and game:
 * - in deck: games whose card metrics list the card (Karabast lists every card of the deck list,
 *   untouched ones with zeros);
 * - drawn: games where its `drawn` count is at least 1. Karabast counts every card that reaches the
 *   hand, the opening hand included (the real payload of a game that ended in round 3 has 10 cards
 *   drawn per player: 6 + 2 + 2), so this is 17lands' "in hand" (GIH), not only drawn later;
 * - not drawn: in deck and `drawn` 0; IWD, the improvement when drawn, is the drawn win rate minus
 *   the not-drawn one, in percentage points (null unless both have games);
 * - played, resourced: games where the card was played, or put into the resources, at least once.
 * Each comes with its games (the sample size), W–L–D, win rate and 95 % Wilson interval.
 */
import type { CardMetricsRow, MatchupCellRow, MatchupRows } from "../../repositories/stats-breakdown-repository.js";
import type { Tally } from "../../repositories/stats-repository.js";
import { cardName } from "../cards/card-names.js";
import { rate } from "./rates.js";

export type { MatchupRows } from "../../repositories/stats-breakdown-repository.js";

/** The matrix's rows (leader or deck), and the fewest games a cell needs to be listed (0: all). */
export interface MatchupOptions {
  by: MatchupRows;
  minGames: number;
}

type CardRef = ReturnType<typeof cardName>;
type Rate = ReturnType<typeof rate>;

/** The row of a cell: the user's leader, and by deck the deck (its id null when not a Swubase deck, grouped by name). */
export interface MatchupRowHead {
  myLeader: CardRef;
  myDeck?: { id: string | null; name: string | null; source: string | null };
}

function rowHead(row: MatchupCellRow, by: MatchupRows): MatchupRowHead {
  const myLeader = cardName(row.leader, "leader");
  return by === "deck" ? { myLeader, myDeck: { id: row.deckId, name: row.deckName, source: row.deckSource } } : { myLeader };
}

/** A cell against the opponent's leader. */
export const vsLeader = (row: MatchupCellRow, by: MatchupRows): MatchupRowHead & { opponentLeader: CardRef } & Rate => ({
  ...rowHead(row, by),
  opponentLeader: cardName(row.opponent, "leader"),
  ...rate(row),
});

/** A cell against the opponent's base. */
export const vsBase = (row: MatchupCellRow, by: MatchupRows): MatchupRowHead & { opponentBase: CardRef } & Rate => ({
  ...rowHead(row, by),
  opponentBase: cardName(row.opponent, "base"),
  ...rate(row),
});

const tally = (row: CardMetricsRow, prefix: "drawn" | "notDrawn" | "played" | "resourced"): Tally => ({
  games: row[`${prefix}Games`],
  wins: row[`${prefix}Wins`],
  losses: row[`${prefix}Losses`],
  draws: row[`${prefix}Draws`],
});

/** Percentage points between two win rates (a − b), or null when either has no games. */
export function percentagePoints(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : (a - b) * 100;
}

export function cardMetrics(row: CardMetricsRow) {
  const whenDrawn = rate(tally(row, "drawn"));
  const whenNotDrawn = rate(tally(row, "notDrawn"));
  return {
    card: cardName(row.cardId),
    inDeck: rate(row),
    whenDrawn,
    whenNotDrawn,
    improvementWhenDrawn: percentagePoints(whenDrawn.winRate, whenNotDrawn.winRate),
    whenPlayed: rate(tally(row, "played")),
    whenResourced: rate(tally(row, "resourced")),
  };
}
