/**
 * SQL for the two finer breakdowns of a user's statistics: the matchup matrix (my leader or deck
 * against the opponent's leader or base) and the per-card metrics over every deck (17lands-style:
 * results in games where a card was drawn, not drawn, played, resourced). Same rules as
 * stats-repository.ts: every query starts from the user's seats within the filter and aggregates
 * in the database.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { SeatResult } from "../db/schema.js";
import { rowsOf } from "./rows.js";
import { mySeats, TALLY, type StatsFilter, type Tally } from "./stats-repository.js";

/** Rows of the matrix: the user's leader, or the user's deck (by id and name, as GET /api/stats/decks groups it). */
export type MatchupRows = "leader" | "deck";
/** Columns of the matrix: the opponent's leader or base. */
export type MatchupColumns = "leader" | "base";

/** One cell: `leader` is the row's leader (by deck: the deck's latest within the filter); the deck fields are null by leader. */
export interface MatchupCellRow extends Tally {
  leader: string;
  deckId: string | null;
  deckName: string | null;
  deckSource: string | null;
  opponent: string;
}

/**
 * One card over the user's games whose card metrics list it (the card was in the deck): all of
 * them, then those where it was drawn (drawn ≥ 1), not drawn, played (≥ 1) and resourced (≥ 1).
 * Losses are games − wins − draws in each.
 */
export interface CardMetricsRow extends Tally {
  cardId: string;
  drawnGames: number;
  drawnWins: number;
  drawnLosses: number;
  drawnDraws: number;
  notDrawnGames: number;
  notDrawnWins: number;
  notDrawnLosses: number;
  notDrawnDraws: number;
  playedGames: number;
  playedWins: number;
  playedLosses: number;
  playedDraws: number;
  resourcedGames: number;
  resourcedWins: number;
  resourcedLosses: number;
  resourcedDraws: number;
}

/**
 * The tally of the counted groups (`n` games with `result`) matching `where`, as columns
 * `<prefix>Games`, `<prefix>Wins`, `<prefix>Losses`, `<prefix>Draws` (`games`, `wins`, … without a prefix).
 */
function sumWhere(where: SQL, prefix: string): SQL {
  const name = (n: string) => sql.raw(`"${prefix ? prefix + n : n.toLowerCase()}"`);
  const part = (result?: SeatResult) => sql`coalesce(sum(n) filter (where ${where}${result ? sql.raw(` and result = '${result}'`) : sql``}), 0)::int`;
  return sql`${part()} as ${name("Games")}, ${part("win")} as ${name("Wins")}, ${part("loss")} as ${name("Losses")}, ${part("draw")} as ${name("Draws")}`;
}

const OPPONENT: Record<MatchupColumns, SQL> = { leader: sql.raw("s.opponent_leader"), base: sql.raw("s.opponent_base") };

export function statsBreakdownRepository(db: Db) {
  const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));

  return {
    /** The matrix's non-empty cells with at least `minGames` games, most games first. */
    matchups(userId: string, f: StatsFilter, by: { rows: MatchupRows; columns: MatchupColumns; minGames: number }) {
      const opponent = OPPONENT[by.columns];
      const where = mySeats(userId, f);
      if (by.rows === "leader") {
        return rows<MatchupCellRow>(sql`
          select s.leader, null as "deckId", null as "deckName", null as "deckSource", ${opponent} as "opponent", ${TALLY}
          from game_seat s where ${where}
          group by s.leader, ${opponent} having count(*) >= ${by.minGames}
          order by "games" desc, "wins" desc, s.leader, ${opponent}`);
      }
      // Each deck's latest leader and source within the filter, found once per deck rather than per
      // cell, without sorting the seats: the deck's last time, then its seat at that time (the
      // user's seats index on finished_at). A few cells × a few decks, so the null-safe join is cheap.
      return rows<MatchupCellRow>(sql`
        with cells as (
          select s.deck_id, s.deck_name, ${opponent} as opponent, ${TALLY}
          from game_seat s where ${where}
          group by s.deck_id, s.deck_name, ${opponent} having count(*) >= ${by.minGames}
        ), last_played as (
          select s.deck_id, s.deck_name, max(s.finished_at) as at from game_seat s where ${where} group by s.deck_id, s.deck_name
        ), heads as (
          select distinct on (l.deck_id, l.deck_name) l.deck_id, l.deck_name, s.leader, s.deck_source
          from last_played l
          join game_seat s on s.finished_at = l.at and s.deck_id is not distinct from l.deck_id and s.deck_name is not distinct from l.deck_name
          where ${where}
          order by l.deck_id, l.deck_name, s.game_id desc
        )
        select h.leader, c.deck_id as "deckId", c.deck_name as "deckName", h.deck_source as "deckSource", c.opponent,
               c.games, c.wins, c.losses, c.draws
        from cells c join heads h on h.deck_id is not distinct from c.deck_id and h.deck_name is not distinct from c.deck_name
        order by c.games desc, c.wins desc, c.deck_id nulls last, c.deck_name nulls last, c.opponent`);
    },

    /**
     * Per card of the user's decks within the filter (the seat's own leader and base, which Karabast
     * lists among the cards, left out), most games first. One row of metrics per seat, unnested;
     * first counted per card, drawn/played/resourced flags and result (a few hundred groups with one
     * count each: measured ~20 % faster over 200,000 unnested rows than twenty filtered counts
     * per card), then summed per card.
     */
    cards(userId: string, f: StatsFilter) {
      return rows<CardMetricsRow>(sql`
        with counted as (
          select m.card_id, m.drawn > 0 as drawn, m.played > 0 as played, m.resourced > 0 as resourced, s.result, count(*) as n
          from game_seat s
          join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
          cross join lateral unnest(c.card_ids, c.drawn, c.played, c.resourced) as m(card_id, drawn, played, resourced)
          where ${mySeats(userId, f)} and m.card_id <> s.leader and m.card_id <> s.base
          group by 1, 2, 3, 4, 5
        )
        select card_id as "cardId", ${sumWhere(sql`true`, "")}, ${sumWhere(sql`drawn`, "drawn")}, ${sumWhere(sql`not drawn`, "notDrawn")},
               ${sumWhere(sql`played`, "played")}, ${sumWhere(sql`resourced`, "resourced")}
        from counted
        group by card_id
        order by "games" desc, "drawnGames" desc, card_id`);
    },

    /** How many of the user's games within the filter came with card metrics for their seat. */
    async gamesWithCards(userId: string, f: StatsFilter): Promise<number> {
      const [row] = await rows<{ n: number }>(sql`
        select count(*)::int as "n" from game_seat s
        join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
        where ${mySeats(userId, f)} and cardinality(c.card_ids) > 0`);
      return row?.n ?? 0;
    },
  };
}

export type StatsBreakdownRepository = ReturnType<typeof statsBreakdownRepository>;
