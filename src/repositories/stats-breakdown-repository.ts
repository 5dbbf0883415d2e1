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

const OPPONENT: Record<MatchupColumns, SQL> = { leader: sql.raw("s.opponent_leader"), base: sql.raw("s.opponent_base") };

/**
 * The counted rows' `column` summed, and by result, as `<prefix>Games`, `<prefix>Wins`, … (each
 * counted row is of one result, so a game's result is the row's).
 */
function sumByResult(column: string, prefix: string): SQL {
  const name = (n: string) => sql.raw(`"${prefix ? prefix + n : n.toLowerCase()}"`);
  const part = (result?: SeatResult) => sql`coalesce(sum(${sql.raw(`t.${column}`)})${result ? sql.raw(` filter (where t.result = '${result}')`) : sql``}, 0)::int`;
  return sql`${part()} as ${name("Games")}, ${part("win")} as ${name("Wins")}, ${part("loss")} as ${name("Losses")}, ${part("draw")} as ${name("Draws")}`;
}

/**
 * The user's card tallies (user_card_tally, drizzle/0012) within the filter, or null when they
 * cannot answer it: they are kept per format, leader and deck id (a deck id of '' is a seat
 * without one, which no deck filter asks for), without dates or lobbies, so a date range or a
 * best-of filter reads the games instead.
 */
function myTallies(userId: string, f: StatsFilter): SQL | null {
  if (f.from !== undefined || f.until !== undefined || f.bestOf !== undefined || f.deck === "") return null;
  const parts = [sql`t.user_id = ${userId}`];
  if (f.format !== undefined) parts.push(sql`t.format = ${f.format}`);
  if (f.leader !== undefined) parts.push(sql`t.leader = ${f.leader}`);
  if (f.deck !== undefined) parts.push(sql`t.deck_id = ${f.deck}`);
  return sql.join(parts, sql` and `);
}

/**
 * The fold's progress as the user's reads may use it: one row (`folded_up_to`) when the user's
 * tallies are whole, none while they are marked (their games were deleted since they were
 * counted: every game is read from the seats until the job counts the user again).
 */
const foldFor = (userId: string) => sql`
  select folded_up_to from card_tally_state
  where not exists (select 1 from card_tally_dirty_user d where d.user_id = ${userId})`;

/**
 * A count over the user's card metrics within the filter, as the union of rows from the tallies
 * (`fromTallies`, given the tally rows' condition) and from the seats (`fromGames`, given an extra
 * condition on the seats `s`): the tallies plus the games the fold job has not counted yet (ids
 * above `folded_up_to`), in one statement and so one snapshot, in which the job's tallies and its
 * `folded_up_to` go together. Without usable tallies (a date or best-of filter, a marked user):
 * every game from the seats.
 */
function talliesAndNewGames(userId: string, f: StatsFilter, fromTallies: (where: SQL) => SQL, fromGames: (above: SQL) => SQL): SQL {
  const tallies = myTallies(userId, f);
  if (!tallies) return fromGames(sql``);
  return sql`
    with fold as (${foldFor(userId)})
    ${fromTallies(sql`${tallies} and exists (select 1 from fold)`)}
    union all
    ${fromGames(sql` and s.game_id > coalesce((select folded_up_to from fold), 0)`)}`;
}

/**
 * From the seats, the rows (card_id, result, games, drawn, not_drawn, played, resourced) that the
 * fold job counts into user_card_tally, by the same rule as drizzle/0012's card_tally_counts
 * (card-tally.test.ts proves both give the same answers). Counted per card, flags and result first
 * (a few hundred groups with one count each), then summed: ~20 % faster over 200,000 unnested rows
 * than filtered counts per card, and PostgreSQL runs it in parallel (the function form does not).
 */
const cardRowsFromGames = (userId: string, f: StatsFilter) => (above: SQL) => sql`
  select card_id, result, sum(n) as games, coalesce(sum(n) filter (where drawn), 0) as drawn, coalesce(sum(n) filter (where not drawn), 0) as not_drawn,
         coalesce(sum(n) filter (where played), 0) as played, coalesce(sum(n) filter (where resourced), 0) as resourced
  from (
    select m.card_id, m.drawn > 0 as drawn, m.played > 0 as played, m.resourced > 0 as resourced, s.result, count(*) as n
    from game_seat s
    join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
    cross join lateral unnest(c.card_ids, c.drawn, c.played, c.resourced) as m(card_id, drawn, played, resourced)
    where ${mySeats(userId, f)}${above} and m.card_id <> s.leader and m.card_id <> s.base
    group by 1, 2, 3, 4, 5
  ) per_flags
  group by 1, 2`;

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
     * lists among the cards, left out), most games first: the tallies (a few thousand rows at
     * 10,000 games) plus the games not counted yet, or all from the games (200,000 unnested card
     * metrics at 10,000 games).
     */
    cards(userId: string, f: StatsFilter) {
      const counted = talliesAndNewGames(
        userId,
        f,
        (where) => sql`select t.card_id, t.result, t.games, t.drawn, t.not_drawn, t.played, t.resourced from user_card_tally t where ${where} and t.card_id <> ''`,
        cardRowsFromGames(userId, f),
      );
      return rows<CardMetricsRow>(sql`
        with counted as (${counted})
        select t.card_id as "cardId", ${sumByResult("games", "")}, ${sumByResult("drawn", "drawn")}, ${sumByResult("not_drawn", "notDrawn")},
               ${sumByResult("played", "played")}, ${sumByResult("resourced", "resourced")}
        from counted t
        group by t.card_id
        order by "games" desc, "drawnGames" desc, t.card_id`);
    },

    /**
     * How many of the user's games within the filter came with card metrics for their seat: the
     * tallies' rows of card '' plus the games not counted yet, or all from the games.
     */
    async gamesWithCards(userId: string, f: StatsFilter): Promise<number> {
      const counted = talliesAndNewGames(
        userId,
        f,
        (where) => sql`select t.games from user_card_tally t where ${where} and t.card_id = ''`,
        (above) => sql`
          select count(*) as games from game_seat s
          join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
          where ${mySeats(userId, f)}${above} and cardinality(c.card_ids) > 0`,
      );
      const [row] = await rows<{ n: number }>(sql`with counted as (${counted}) select coalesce(sum(games), 0)::int as "n" from counted`);
      return row?.n ?? 0;
    },
  };
}

export type StatsBreakdownRepository = ReturnType<typeof statsBreakdownRepository>;
