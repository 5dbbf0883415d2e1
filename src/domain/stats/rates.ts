/** A tally as the statistics answer it: the counts, the win rate and its 95 % interval. */
import type { Tally } from "../../repositories/stats-repository.js";
import { wilsonInterval } from "./wilson.js";

/**
 * games, wins, losses, draws, the win rate (wins ÷ games, 0..1; null without games) and its 95 %
 * Wilson score interval (`{ low, high }`, 0..1; null without games).
 */
export function rate(t: Tally) {
  return {
    games: t.games,
    wins: t.wins,
    losses: t.losses,
    draws: t.draws,
    winRate: t.games > 0 ? t.wins / t.games : null,
    winRateInterval: wilsonInterval(t.wins, t.games),
  };
}
