/**
 * The meta across players: games, results and win rate (with its 95 % Wilson interval) by leader
 * and by base, over the attributed games of every player who has not opted out, read from
 * meta_daily (kept by meta-refresh.ts). Each seat counts: a game between two Swubase players
 * counts once for each player's leader (a mirror match is a win and a loss for that leader).
 * Only cards with at least META_MIN_GAMES games are listed: fewer say little (a 95 % interval from
 * 19 games is up to 41 points wide).
 */
import type { MetaKind } from "../../db/schema.js";
import type { MetaFilter, MetaRepository, MetaRow } from "../../repositories/meta-repository.js";
import { cardName } from "../cards/card-names.js";
import { rate } from "../stats/stats-service.js";

export type { MetaFilter } from "../../repositories/meta-repository.js";

export const META_MIN_GAMES = 20;

export function createMetaService(repo: MetaRepository) {
  async function read<K extends MetaKind>(kind: K, f: MetaFilter, card: (row: MetaRow) => Record<K, ReturnType<typeof cardName>>) {
    const [rows, state] = await Promise.all([repo.tallies(kind, f, META_MIN_GAMES), repo.state()]);
    return {
      items: rows.map((r) => ({ ...card(r), ...rate(r) })),
      minGames: META_MIN_GAMES,
      /** When the refresh job last ran (null before its first run): games since then are not counted yet. */
      refreshedAt: state.refreshedAt,
    };
  }

  return {
    leaders: (f: MetaFilter) => read("leader", f, (r) => ({ leader: cardName(r.cardId, "leader") })),
    bases: (f: MetaFilter) => read("base", f, (r) => ({ base: cardName(r.cardId, "base") })),
  };
}

export type MetaService = ReturnType<typeof createMetaService>;
