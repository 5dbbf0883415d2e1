/**
 * A signed-in user's statistics over the games attributed to them: totals with the recent games,
 * tallies by leader, base, deck and matchup, a weekly series, best-of-three matches, and per-card
 * metrics for one deck. Aggregation happens in SQL; this layer names cards and computes rates.
 * A user without games gets zeros, nulls for rates and empty lists.
 */
import type { CardRow, MatchGameRow, Page, StatsFilter, StatsRepository, Tally } from "../../repositories/stats-repository.js";
import { cardName } from "../cards/card-names.js";

export type { StatsFilter } from "../../repositories/stats-repository.js";

export interface Paging {
  page: number;
  pageSize: number;
}

export type Result = "win" | "loss";

/** games, wins, losses and the win rate (0..1, null without games). */
export function rate(t: Tally) {
  return { games: t.games, wins: t.wins, losses: t.games - t.wins, winRate: t.games > 0 ? t.wins / t.games : null };
}

const result = (isWinner: boolean): Result => (isWinner ? "win" : "loss");
const toPage = (p: Paging): Page => ({ limit: p.pageSize, offset: (p.page - 1) * p.pageSize });
const share = (wins: number, games: number) => ({ games, wins, winRate: games > 0 ? wins / games : null });

function cardStats(row: CardRow) {
  return {
    card: cardName(row.cardId),
    games: row.games,
    avg: { drawn: row.drawn, played: row.played, resourced: row.resourced, activated: row.activated, discarded: row.discarded },
    whenPlayed: share(row.playedWins, row.playedGames),
    whenNotPlayed: share(row.notPlayedWins, row.notPlayedGames),
  };
}

function matchGame(g: MatchGameRow) {
  return {
    gameId: g.gameId,
    sequenceNumber: g.sequenceNumber,
    finishedAt: g.finishedAt,
    result: result(g.isWinner),
    myLeader: cardName(g.leader),
    opponentLeader: cardName(g.opponentLeader),
  };
}

export function createStatsService(repo: StatsRepository) {
  return {
    async overview(userId: string, f: StatsFilter, paging: Paging) {
      const [tally, recent] = await Promise.all([repo.tally(userId, f), repo.recent(userId, f, toPage(paging))]);
      const { games, wins, losses, winRate } = rate(tally);
      return {
        games,
        wins,
        losses,
        winRate,
        recent: {
          items: recent.map((r) => ({
            gameId: r.gameId,
            finishedAt: r.finishedAt,
            format: r.format,
            myLeader: cardName(r.leader),
            myBase: cardName(r.base),
            opponentLeader: cardName(r.opponentLeader),
            opponentBase: cardName(r.opponentBase),
            result: result(r.isWinner),
            rounds: r.rounds,
            durationSeconds: r.durationSeconds,
          })),
          page: paging.page,
          pageSize: paging.pageSize,
          total: games,
        },
      };
    },

    async leaders(userId: string, f: StatsFilter) {
      const rows = await repo.byCard(userId, f, "leader");
      return { items: rows.map((r) => ({ leader: cardName(r.card), ...rate(r) })) };
    },

    async bases(userId: string, f: StatsFilter) {
      const rows = await repo.byCard(userId, f, "base");
      return { items: rows.map((r) => ({ base: cardName(r.card), ...rate(r) })) };
    },

    async decks(userId: string, f: StatsFilter) {
      const rows = await repo.byDeck(userId, f);
      return {
        items: rows.map((r) => ({
          deck: { id: r.deckId, name: r.deckName, source: r.deckSource },
          leader: cardName(r.leader),
          base: cardName(r.base),
          ...rate(r),
          lastPlayedAt: r.lastPlayedAt,
        })),
      };
    },

    async matchups(userId: string, f: StatsFilter) {
      const rows = await repo.byMatchup(userId, f);
      return { items: rows.map((r) => ({ myLeader: cardName(r.leader), opponentLeader: cardName(r.opponentLeader), ...rate(r) })) };
    },

    async weekly(userId: string, f: StatsFilter) {
      const rows = await repo.weekly(userId, f);
      return { items: rows.map((r) => ({ weekStart: r.weekStart, ...rate(r) })) };
    },

    /** A match is won with more game wins than the opponent, lost with fewer, else unfinished (e.g. 1–1). */
    async matches(userId: string, f: StatsFilter, paging: Paging) {
      const { summary, items } = await repo.matches(userId, f, toPage(paging));
      const decided = summary.wins + summary.losses;
      return {
        wins: summary.wins,
        losses: summary.losses,
        unfinished: summary.matches - decided,
        winRate: decided > 0 ? summary.wins / decided : null,
        items: items.map((m) => {
          const opponentWins = m.games - m.wins;
          return {
            lobbyId: m.lobbyId,
            format: m.format,
            finishedAt: m.finishedAt,
            score: `${m.wins}–${opponentWins}`,
            myWins: m.wins,
            opponentWins,
            result: m.wins > opponentWins ? "win" : m.wins < opponentWins ? "loss" : "unfinished",
            games: m.gameList.map(matchGame),
          };
        }),
        page: paging.page,
        pageSize: paging.pageSize,
        total: summary.matches,
      };
    },

    /**
     * Per card of one deck: averages per game over the games whose metrics list the card, and the
     * win rate in games where it was played (played > 0) against games where it was not.
     */
    async deckCards(userId: string, f: StatsFilter, deck: { id: string; name?: string | undefined }) {
      const { summary, cards } = await repo.deck(userId, f, deck);
      return {
        deck: { id: deck.id, name: summary.deckName ?? deck.name ?? null, source: summary.deckSource },
        leader: summary.leader ? cardName(summary.leader) : null,
        base: summary.base ? cardName(summary.base) : null,
        ...rate(summary),
        items: cards.map(cardStats),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
