/**
 * A signed-in user's statistics over the games attributed to them: totals with the recent games,
 * tallies by leader, base, deck and matchup (a matrix against the opponent's leader and base), a
 * weekly series, best-of-three matches, per-card metrics for one deck and over all decks. Aggregation happens in SQL; this layer names cards and computes rates.
 * A user without games gets zeros, nulls for rates and empty lists.
 *
 * Every tally is wins–losses–draws. The win rate is wins ÷ games played: a draw is a game not won
 * (neither a win nor a loss, counted in its own column), so it lowers the win rate as a loss does.
 * Matches are counted the same way: won, lost or drawn, win rate = matches won ÷ matches.
 */
import type { SeatResult } from "../../db/schema.js";
import type { CardRow, MatchGameRow, MatchRow, Page, StatsFilter, StatsRepository } from "../../repositories/stats-repository.js";
import type { StatsBreakdownRepository } from "../../repositories/stats-breakdown-repository.js";
import { cardName } from "../cards/card-names.js";
import { cardMetrics, vsBase, vsLeader, type MatchupOptions } from "./breakdowns.js";
import { rate } from "./rates.js";
import { matchIds } from "./match-runs.js";
import { EXPORT_LIMIT, exportCsv, exportJson, newestFirst, withPieces, type ExportGame, type ExportType } from "./stats-export.js";
import { wilsonInterval } from "./wilson.js";

export type { StatsFilter } from "../../repositories/stats-repository.js";

export interface Paging {
  page: number;
  pageSize: number;
}

type Result = SeatResult;

export { rate };

/** More game wins than losses: won; fewer: lost; as many (1–1, 0–0 with draws): drawn. */
function matchResult(m: { wins: number; losses: number }): Result {
  return m.wins > m.losses ? "win" : m.wins < m.losses ? "loss" : "draw";
}

/** "2–1", with the drawn games third when there are any ("1–1–1"). */
function matchScore(m: { wins: number; losses: number; draws: number }): string {
  return m.draws > 0 ? `${m.wins}–${m.losses}–${m.draws}` : `${m.wins}–${m.losses}`;
}

const toPage = (p: Paging): Page => ({ limit: p.pageSize, offset: (p.page - 1) * p.pageSize });

function cardStats(row: CardRow) {
  return {
    card: cardName(row.cardId),
    games: row.games,
    avg: { drawn: row.drawn, played: row.played, resourced: row.resourced, activated: row.activated, discarded: row.discarded },
    whenPlayed: rate({ games: row.playedGames, wins: row.playedWins, losses: row.playedLosses, draws: row.playedDraws }),
    whenNotPlayed: rate({ games: row.notPlayedGames, wins: row.notPlayedWins, losses: row.notPlayedLosses, draws: row.notPlayedDraws }),
  };
}

function matchGame(g: MatchGameRow) {
  return {
    gameId: g.gameId,
    sequenceNumber: g.sequenceNumber,
    finishedAt: g.finishedAt,
    result: g.result,
    myLeader: cardName(g.leader, "leader"),
    opponentLeader: cardName(g.opponentLeader, "leader"),
  };
}

function match(m: MatchRow) {
  return {
    matchId: m.matchId,
    lobbyId: m.lobbyId,
    format: m.format,
    finishedAt: m.finishedAt,
    score: matchScore(m),
    myWins: m.wins,
    opponentWins: m.losses,
    draws: m.draws,
    result: matchResult(m),
    games: m.gameList.map(matchGame),
  };
}

export function createStatsService(repo: StatsRepository, breakdowns: StatsBreakdownRepository) {
  /**
   * The newest `limit` games within the filter, with their records' parts in `type`: from
   * seat_export up to the job's `exported_up_to`, the games above it (the newest, or every game
   * right after drizzle/0013) read from the games and their parts written here; and their match
   * ids. When the limit cuts the export, the older games of its lobbies are read too, so a match
   * the limit cuts keeps the id GET /api/stats/matches gives it.
   */
  async function exportedRows(userId: string, f: StatsFilter, type: ExportType, limit: number) {
    const upTo = await repo.exportedUpTo();
    const [stored, fresh] = await Promise.all([repo.exportRecords(userId, f, type, upTo, limit + 1), repo.exportRowsAbove(userId, f, upTo, limit + 1)]);
    const rows = newestFirst(stored, withPieces(fresh, type), limit + 1);
    const truncated = rows.length > limit;
    if (truncated) rows.length = limit;
    const last = rows.at(-1);
    const older = truncated && last ? await repo.lobbyGamesAfter(userId, f, last) : [];
    return { rows, ids: matchIds(older.length > 0 ? [...rows, ...older] : rows), truncated };
  }

  /**
   * The games within the filter for the export, newest first, as a CSV (RFC 4180, with a header
   * row) or JSON (`{ games, truncated }`) file in pieces of UTF-8 (stats-export.ts says why);
   * `truncated` when more than `limit` match. A match the limit cuts continues in older games, so
   * those (in the exported games' lobbies) are read too: the first of them may name the match.
   */
  async function exportFile(userId: string, f: StatsFilter, type: ExportType, limit = EXPORT_LIMIT) {
    const { rows, ids, truncated } = await exportedRows(userId, f, type, limit);
    return { pieces: type === "csv" ? exportCsv(rows, ids) : exportJson(rows, ids, truncated), truncated };
  }

  return {
    async overview(userId: string, f: StatsFilter, paging: Paging) {
      const [tally, recent] = await Promise.all([repo.tally(userId, f), repo.recent(userId, f, toPage(paging))]);
      return {
        ...rate(tally),
        recent: {
          items: recent.map((r) => ({
            gameId: r.gameId,
            finishedAt: r.finishedAt,
            format: r.format,
            myLeader: cardName(r.leader, "leader"),
            myBase: cardName(r.base, "base"),
            opponentLeader: cardName(r.opponentLeader, "leader"),
            opponentBase: cardName(r.opponentBase, "base"),
            result: r.result,
            rounds: r.rounds,
            durationSeconds: r.durationSeconds,
          })),
          page: paging.page,
          pageSize: paging.pageSize,
          total: tally.games,
        },
      };
    },

    async leaders(userId: string, f: StatsFilter) {
      const rows = await repo.byCard(userId, f, "leader");
      return { items: rows.map((r) => ({ leader: cardName(r.card, "leader"), ...rate(r) })) };
    },

    async bases(userId: string, f: StatsFilter) {
      const rows = await repo.byCard(userId, f, "base");
      return { items: rows.map((r) => ({ base: cardName(r.card, "base"), ...rate(r) })) };
    },

    /** By deck id and name; `deck.id` is null for a deck that is not a Swubase deck (grouped by its name). */
    async decks(userId: string, f: StatsFilter) {
      const rows = await repo.byDeck(userId, f);
      return {
        items: rows.map((r) => ({
          deck: { id: r.deckId, name: r.deckName, source: r.deckSource },
          leader: cardName(r.leader, "leader"),
          base: cardName(r.base, "base"),
          ...rate(r),
          lastPlayedAt: r.lastPlayedAt,
        })),
      };
    },

    /**
     * The matchup matrix: the user's leader (or deck, `by`) against the opponent's leader (`items`,
     * as before the matrix) and against the opponent's base (`byOpponentBase`), each cell a tally;
     * cells with fewer than `minGames` games are left out.
     */
    async matchups(userId: string, f: StatsFilter, options: MatchupOptions = { by: "leader", minGames: 0 }) {
      const { by, minGames } = options;
      const [leaders, bases] = await Promise.all([
        breakdowns.matchups(userId, f, { rows: by, columns: "leader", minGames }),
        breakdowns.matchups(userId, f, { rows: by, columns: "base", minGames }),
      ]);
      return {
        by,
        minGames,
        items: leaders.map((r) => vsLeader(r, by)),
        byOpponentBase: bases.map((r) => vsBase(r, by)),
      };
    },

    /**
     * Per card over all the user's decks within the filter (narrow it with `deck` or `leader`):
     * results in deck, when drawn, not drawn, played and resourced (see breakdowns.ts), after the
     * totals of the filter and how many of those games came with card metrics.
     */
    async cards(userId: string, f: StatsFilter) {
      const [tally, gamesWithCards, rows] = await Promise.all([repo.tally(userId, f), breakdowns.gamesWithCards(userId, f), breakdowns.cards(userId, f)]);
      return { ...rate(tally), gamesWithCards, items: rows.map(cardMetrics) };
    },

    async weekly(userId: string, f: StatsFilter) {
      const rows = await repo.weekly(userId, f);
      return { items: rows.map((r) => ({ weekStart: r.weekStart, ...rate(r) })) };
    },

    /**
     * Best-of-three matches, newest first. A match is a run of games in one lobby whose sequence
     * number rises from 1 (a rematch in the same lobby is another match); `matchId` names it by its
     * lobby and first game. Won with more game wins than losses, lost with fewer, else drawn.
     */
    async matches(userId: string, f: StatsFilter, paging: Paging) {
      const { summary, items } = await repo.matches(userId, f, toPage(paging));
      return {
        matches: summary.matches,
        wins: summary.wins,
        losses: summary.losses,
        draws: summary.draws,
        winRate: summary.matches > 0 ? summary.wins / summary.matches : null,
        winRateInterval: wilsonInterval(summary.wins, summary.matches),
        items: items.map(match),
        page: paging.page,
        pageSize: paging.pageSize,
        total: summary.matches,
      };
    },

    exportFile,

    /** The JSON export as objects (for callers in process; the endpoint sends exportFile's bytes). */
    async exportGames(userId: string, f: StatsFilter, limit = EXPORT_LIMIT) {
      const { pieces } = await exportFile(userId, f, "json", limit);
      return JSON.parse(Buffer.concat(pieces).toString()) as { games: ExportGame[]; truncated: boolean };
    },

    /**
     * Per card of one deck: averages per game over the games whose metrics list the card, and the
     * results in games where it was played (played > 0) against games where it was not.
     */
    async deckCards(userId: string, f: StatsFilter, deck: { id: string; name?: string | undefined }) {
      const { summary, cards } = await repo.deck(userId, f, deck);
      return {
        deck: { id: deck.id, name: summary.deckName ?? deck.name ?? null, source: summary.deckSource },
        leader: summary.leader ? cardName(summary.leader, "leader") : null,
        base: summary.base ? cardName(summary.base, "base") : null,
        ...rate(summary),
        items: cards.map(cardStats),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
