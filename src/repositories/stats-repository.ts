/**
 * SQL for a user's statistics. Every query starts from the user's seats (index on
 * `game_seat (user_id, finished_at)`) and aggregates in the database; nothing loads all games.
 * Timestamps come back as ISO text (the export's as seconds since 1970, `epochSeconds`) and counts
 * as int, so both drivers give the same rows.
 * Results are counted from `game_seat.result` (win, loss or draw), never from the partner's raw
 * `is_winner` flag: a draw arrives as two winners (or none).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { SeatResult } from "../db/schema.js";
import { rowsOf } from "./rows.js";

/**
 * Which of the user's games count: `from` inclusive, `until` exclusive; `leader` the user's leader
 * card id, `deck` the user's deck id; `bestOf` 3 for games of a best-of-three match (see
 * bestOfThreeGames), 1 for all others.
 */
export interface StatsFilter {
  format?: string | undefined;
  from?: Date | undefined;
  until?: Date | undefined;
  leader?: string | undefined;
  deck?: string | undefined;
  bestOf?: 1 | 3 | undefined;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Games and their results: wins + losses + draws = games. */
export interface Tally {
  games: number;
  wins: number;
  losses: number;
  draws: number;
}

export interface RecentRow {
  gameId: string;
  finishedAt: string;
  format: string;
  leader: string;
  base: string;
  opponentLeader: string;
  opponentBase: string;
  result: SeatResult;
  rounds: number | null;
  durationSeconds: number;
}

/**
 * One of the user's games for the export, with what decides its match (src/domain/stats/match-runs.ts).
 * Its times are seconds since 1970 (`epochSeconds`), written as text by the domain
 * (src/domain/stats/stats-export.ts: isoMillisWriter, wholeSecondsBetween).
 */
export interface ExportRow extends Omit<RecentRow, "finishedAt" | "durationSeconds">, LobbyGameRow, ExportOrder {
  deckId: string | null;
  deckName: string | null;
  /** The game's finish (the seat's is a copy of it), for the duration. */
  gameFinishedAtSeconds: number;
}

/** Where a game comes in the export: newest finish first, then the latest to arrive (`game.id`). */
export interface ExportOrder {
  finishedAtSeconds: number;
  /** `game.id`, exact as a number (ids stay far below 2^53). */
  rowId: number;
}

/**
 * One of the user's games as the export reads it from seat_export (drizzle/0013): the record's
 * fixed parts in one file type (src/domain/stats/export-pieces.ts), its cards (named by the domain)
 * and what decides its match.
 */
export interface StoredExportRow extends LobbyGameRow, ExportOrder {
  lead: string;
  deck: string;
  end: string;
  leader: string;
  base: string;
  opponentLeader: string;
  opponentBase: string;
}

/** A game as the match rule needs it (the domain's LobbyGame). */
export interface LobbyGameRow {
  clientId: string;
  lobbyId: string | null;
  gameId: string;
  sequenceNumber: number;
  /** Seconds since 1970, exact to the microsecond (`epochSeconds`). */
  startedAtSeconds: number;
}

export interface DeckRow extends Tally {
  deckId: string | null;
  deckName: string | null;
  deckSource: string | null;
  leader: string;
  base: string;
  lastPlayedAt: string;
}

export interface MatchGameRow {
  gameId: string;
  sequenceNumber: number;
  finishedAt: string;
  result: SeatResult;
  leader: string;
  opponentLeader: string;
}

export interface MatchRow extends Tally {
  /** The lobby and the partner's id of the match's first game (within the filter). */
  matchId: string;
  lobbyId: string;
  format: string;
  finishedAt: string;
  gameList: MatchGameRow[];
}

/** Matches by their result (more game wins than losses: won; fewer: lost; as many: drawn). */
export interface MatchSummary {
  matches: number;
  wins: number;
  losses: number;
  draws: number;
}

export interface CardRow {
  cardId: string;
  games: number;
  drawn: number;
  played: number;
  resourced: number;
  activated: number;
  discarded: number;
  // Games where the card was played (at least once), and where it was not, with their results.
  playedGames: number;
  playedWins: number;
  playedLosses: number;
  playedDraws: number;
  notPlayedGames: number;
  notPlayedWins: number;
  notPlayedLosses: number;
  notPlayedDraws: number;
}

export interface DeckSummaryRow extends Tally {
  deckName: string | null;
  deckSource: string | null;
  leader: string | null;
  base: string | null;
}

/**
 * Seconds since 1970 as float8 (date_part, not extract's numeric: a third of the export's time in
 * PostgreSQL went to numeric arithmetic and to_char). Exact to the microsecond: a timestamp is a
 * whole number of microseconds, and float8's step is 0.24 µs until 2038 (2^31 s) and under 1 µs
 * until 2242 (2^33 s), so distinct timestamps give distinct, ordered numbers and
 * `Math.round(s * 1e6)` gives the microseconds back.
 */
const epochSeconds = (column: SQL) => sql`date_part('epoch', ${column})`;
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The seats `s` counted by result. */
export const TALLY = sql`count(*)::int as "games", (count(*) filter (where s.result = 'win'))::int as "wins",
  (count(*) filter (where s.result = 'loss'))::int as "losses", (count(*) filter (where s.result = 'draw'))::int as "draws"`;
/** The same counts over the seats matching `where`, as columns `<prefix>Games`, `<prefix>Wins`, … */
const tallyWhere = (where: SQL, prefix: string) => {
  const count = (result?: SeatResult) => sql`(count(*) filter (where ${where}${result ? sql` and s.result = ${sql.raw(`'${result}'`)}` : sql``}))::int`;
  const name = (n: string) => sql.raw(`"${prefix}${n}"`);
  return sql`${count()} as ${name("Games")}, ${count("win")} as ${name("Wins")}, ${count("loss")} as ${name("Losses")}, ${count("draw")} as ${name("Draws")}`;
};
const latest = (column: string) => sql`(array_agg(${sql.raw(`s.${column}`)} order by s.finished_at desc))[1]`;

/**
 * The ids (`game.id`) of the user's games that belong to a best-of-three match: a run of games in
 * one lobby (cut as in matchRuns: a game with sequence number 1, or not above the previous one,
 * starts a new run) in which some game has sequence number 2 or more. Every other game, in a lobby
 * or not, is best-of-one. Computed over all the user's seats, whatever the other filters, so a date
 * range that cuts a match does not turn its last game into a best-of-one. One sort of the user's
 * seats in lobbies (from the user's seats index, the games by primary key); no index on the lobby.
 */
const bestOfThreeGames = (userId: string) => sql`
  select id from (
    select id, max(sequence_number) over (partition by client_id, lobby_id, run) as top from (
      select id, client_id, lobby_id, sequence_number,
             count(*) filter (where starts) over (partition by client_id, lobby_id order by started_at, finished_at, id rows unbounded preceding) as run
      from (
        select g.id, g.client_id, g.lobby_id, g.sequence_number, g.started_at, o.finished_at,
               coalesce(g.sequence_number = 1 or g.sequence_number <= lag(g.sequence_number) over played, true) as starts
        from game_seat o join game g on g.id = o.game_id
        where o.user_id = ${userId} and g.lobby_id is not null
        window played as (partition by g.client_id, g.lobby_id order by g.started_at, o.finished_at, g.id)
      ) lobby_games
    ) lobby_runs
  ) run_tops where top >= 2`;

/** The user's seats within the filter (alias `s`). */
export function mySeats(userId: string, f: StatsFilter): SQL {
  const parts = [sql`s.user_id = ${userId}`];
  if (f.format !== undefined) parts.push(sql`s.format = ${f.format}`);
  if (f.from) parts.push(sql`s.finished_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.until) parts.push(sql`s.finished_at < ${f.until.toISOString()}::timestamptz`);
  if (f.leader !== undefined) parts.push(sql`s.leader = ${f.leader}`);
  if (f.deck !== undefined) parts.push(sql`s.deck_id = ${f.deck}`);
  if (f.bestOf === 3) parts.push(sql`s.game_id in (${bestOfThreeGames(userId)})`);
  if (f.bestOf === 1) parts.push(sql`s.game_id not in (${bestOfThreeGames(userId)})`);
  return sql.join(parts, sql` and `);
}

/**
 * The user's games in lobbies, cut into matches (`run`, numbered within the lobby). A lobby stays
 * open after a match and the same players may play another there, restarting the sequence number
 * at 1, so a lobby is not a match: a game starts a new match when its sequence number is 1 or not
 * above the previous game's (in the order the games were played). The first game the filter
 * leaves in a lobby starts one too. The export applies the same rule to the games it read
 * (src/domain/stats/match-runs.ts; test/integration/stats-export-matches.test.ts holds the two together).
 *
 * Cost: one sort of the user's seats in lobbies, shared by both windows (the order uses the seat's
 * copy of finished_at, the column `mine` passes on, so the second window needs no sort of its own);
 * each run has exactly one row with `starts` (its first game), so the match id and format are plain
 * aggregates and the grouping hashes instead of sorting again.
 */
const matchRuns = (userId: string, f: StatsFilter) => sql`
  mine as (
    select g.id, g.client_id, g.lobby_id, g.game_id, g.sequence_number, g.started_at, s.result, s.leader, s.opponent_leader, s.format, s.finished_at,
           coalesce(g.sequence_number = 1 or g.sequence_number <= lag(g.sequence_number) over played, true) as starts
    from game_seat s join game g on g.id = s.game_id
    where ${mySeats(userId, f)} and g.lobby_id is not null
    window played as (partition by g.client_id, g.lobby_id order by g.started_at, s.finished_at, g.id)
  ), runs as (
    select mine.*, count(*) filter (where starts) over (
             partition by client_id, lobby_id order by started_at, finished_at, id rows unbounded preceding) as run
    from mine
  ), matches as (
    select client_id, lobby_id, run, lobby_id || ':' || max(game_id) filter (where starts) as match_id,
           count(*)::int as games, (count(*) filter (where result = 'win'))::int as wins,
           (count(*) filter (where result = 'loss'))::int as losses, (count(*) filter (where result = 'draw'))::int as draws,
           max(finished_at) as finished_at, max(format) filter (where starts) as format
    from runs group by client_id, lobby_id, run having max(sequence_number) >= 2
  )`;

export function statsRepository(db: Db) {
  const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));

  return {
    async tally(userId: string, f: StatsFilter): Promise<Tally> {
      const [row] = await rows<Tally>(sql`select ${TALLY} from game_seat s where ${mySeats(userId, f)}`);
      return row ?? { games: 0, wins: 0, losses: 0, draws: 0 };
    },

    recent(userId: string, f: StatsFilter, page: Page) {
      return rows<RecentRow>(sql`
        select g.game_id as "gameId", ${iso(sql`s.finished_at`)} as "finishedAt", s.format, s.leader, s.base,
               s.opponent_leader as "opponentLeader", s.opponent_base as "opponentBase", s.result,
               g.round_number as "rounds", round(extract(epoch from g.finished_at - g.started_at))::int as "durationSeconds"
        from game_seat s join game g on g.id = s.game_id
        where ${mySeats(userId, f)}
        order by s.finished_at desc, s.game_id desc
        limit ${page.limit} offset ${page.offset}`);
    },

    /** Tallies grouped by the user's leader or base. */
    byCard(userId: string, f: StatsFilter, column: "leader" | "base") {
      const col = sql.raw(`s.${column}`);
      return rows<Tally & { card: string }>(sql`
        select ${col} as "card", ${TALLY} from game_seat s where ${mySeats(userId, f)}
        group by ${col} order by "games" desc, "wins" desc, ${col}`);
    },

    byDeck(userId: string, f: StatsFilter) {
      return rows<DeckRow>(sql`
        select s.deck_id as "deckId", s.deck_name as "deckName", ${latest("deck_source")} as "deckSource",
               ${latest("leader")} as "leader", ${latest("base")} as "base", ${iso(sql`max(s.finished_at)`)} as "lastPlayedAt", ${TALLY}
        from game_seat s where ${mySeats(userId, f)}
        group by s.deck_id, s.deck_name order by "games" desc, max(s.finished_at) desc, s.deck_id, s.deck_name`);
    },

    /** Tallies per ISO week (Monday, UTC), with empty weeks between the first and the last. */
    weekly(userId: string, f: StatsFilter) {
      return rows<Tally & { weekStart: string }>(sql`
        with w as (
          select date_trunc('week', s.finished_at at time zone 'UTC') as week, ${TALLY}
          from game_seat s where ${mySeats(userId, f)} group by 1
        )
        select to_char(d.week, 'YYYY-MM-DD') as "weekStart", coalesce(w.games, 0)::int as "games", coalesce(w.wins, 0)::int as "wins",
               coalesce(w.losses, 0)::int as "losses", coalesce(w.draws, 0)::int as "draws"
        from generate_series((select min(week) from w), (select max(week) from w), interval '1 week') as d(week)
        left join w on w.week = d.week
        order by d.week`);
    },

    /** Best-of-three matches (see matchRuns): those with a game of sequence number 2 or 3. */
    async matches(userId: string, f: StatsFilter, page: Page): Promise<{ summary: MatchSummary; items: MatchRow[] }> {
      // One pass: the page carries the totals (window functions over all matches); only a page past
      // the end needs a second query for them.
      const items = await rows<MatchRow & { total: number; totalWins: number; totalLosses: number; totalDraws: number }>(sql`
        with ${matchRuns(userId, f)}, page as (
          select m.*, count(*) over () as total, count(*) filter (where wins > losses) over () as total_wins,
                 count(*) filter (where wins < losses) over () as total_losses, count(*) filter (where wins = losses) over () as total_draws
          from matches m order by finished_at desc, match_id limit ${page.limit} offset ${page.offset}
        )
        select p.match_id as "matchId", p.lobby_id as "lobbyId", p.format, ${iso(sql`p.finished_at`)} as "finishedAt",
               p.games, p.wins, p.losses, p.draws, p.total::int as "total", p.total_wins::int as "totalWins",
               p.total_losses::int as "totalLosses", p.total_draws::int as "totalDraws",
               json_agg(json_build_object(
                 'gameId', x.game_id, 'sequenceNumber', x.sequence_number, 'finishedAt', ${iso(sql`x.finished_at`)},
                 'result', x.result, 'leader', x.leader, 'opponentLeader', x.opponent_leader)
               order by x.started_at, x.finished_at, x.id) as "gameList"
        from page p join runs x on x.client_id = p.client_id and x.lobby_id = p.lobby_id and x.run = p.run
        group by p.client_id, p.lobby_id, p.run, p.match_id, p.format, p.finished_at, p.games, p.wins, p.losses, p.draws,
                 p.total, p.total_wins, p.total_losses, p.total_draws
        order by p.finished_at desc, p.match_id`);
      let summary: MatchSummary = { matches: 0, wins: 0, losses: 0, draws: 0 };
      if (items[0]) summary = { matches: items[0].total, wins: items[0].totalWins, losses: items[0].totalLosses, draws: items[0].totalDraws };
      else if (page.offset > 0) {
        const [row] = await rows<MatchSummary>(sql`
          with ${matchRuns(userId, f)}
          select count(*)::int as "matches", (count(*) filter (where wins > losses))::int as "wins",
                 (count(*) filter (where wins < losses))::int as "losses", (count(*) filter (where wins = losses))::int as "draws"
          from matches`);
        if (row) summary = row;
      }
      const parse = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as MatchGameRow[]) : (v as MatchGameRow[]));
      return {
        summary,
        items: items.map(({ total: _t, totalWins: _w, totalLosses: _l, totalDraws: _d, ...m }) => ({ ...m, gameList: parse(m.gameList) })),
      };
    },

    /** Every game with an id up to this has its attributed seats' records in seat_export (drizzle/0013). */
    async exportedUpTo(): Promise<number> {
      const [row] = await rows<{ upTo: string }>(sql`select exported_up_to::text as "upTo" from seat_export_state`);
      return Number(row?.upTo ?? 0);
    },

    /**
     * The user's games within the filter from seat_export, those with ids up to `upTo` (read
     * before: the job may commit more meanwhile, which exportRowsAbove then reads), newest first
     * (by finish time, then arrival), at most `limit`. One index, no join, three text parts per
     * game in the file type asked for.
     */
    exportRecords(userId: string, f: StatsFilter, type: "csv" | "json", upTo: number, limit: number) {
      const part = (name: "lead" | "deck" | "end") => sql.raw(`s.${type}_${name}`);
      return rows<StoredExportRow>(sql`
        select ${part("lead")} as "lead", ${part("deck")} as "deck", ${part("end")} as "end",
               s.leader, s.base, s.opponent_leader as "opponentLeader", s.opponent_base as "opponentBase",
               s.client_id as "clientId", s.lobby_id as "lobbyId", s.partner_game_id as "gameId", s.sequence_number as "sequenceNumber",
               ${epochSeconds(sql`s.started_at`)} as "startedAtSeconds", ${epochSeconds(sql`s.finished_at`)} as "finishedAtSeconds",
               s.game_id::float8 as "rowId"
        from seat_export s
        where ${mySeats(userId, f)} and s.game_id <= ${upTo}::bigint
        order by s.finished_at desc, s.game_id desc
        limit ${limit}`);
    },

    /**
     * The user's games within the filter with ids above `above` (those the export records' job has
     * not reached: all of them right after drizzle/0013), read from the games, in exportRecords'
     * order, at most `limit`. The index on the user's seats holds the game id, so finding them
     * reads no seat of the others.
     */
    exportRowsAbove(userId: string, f: StatsFilter, above: number, limit: number) {
      return rows<ExportRow>(sql`
        select g.game_id as "gameId", ${epochSeconds(sql`s.finished_at`)} as "finishedAtSeconds", s.format, g.client_id as "clientId", g.lobby_id as "lobbyId",
               g.sequence_number as "sequenceNumber", ${epochSeconds(sql`g.started_at`)} as "startedAtSeconds",
               s.leader, s.base, s.deck_id as "deckId", s.deck_name as "deckName", s.opponent_leader as "opponentLeader", s.opponent_base as "opponentBase",
               s.result, g.round_number as "rounds", ${epochSeconds(sql`g.finished_at`)} as "gameFinishedAtSeconds", s.game_id::float8 as "rowId"
        from game_seat s join game g on g.id = s.game_id
        where ${mySeats(userId, f)} and s.game_id > ${above}::bigint
        order by s.finished_at desc, s.game_id desc
        limit ${limit}`);
    },

    /**
     * The user's games within the filter that come after `last` in the export's order, in the lobbies
     * of the games up to it, in that order: the rest of the matches an export cut at its limit.
     * The lobbies are marked by a window over the user's lobby games rather than joined: a join to
     * the exported lobbies was estimated at one row in the generic plan (after five calls), and its
     * nested loop took 6 s at 30,000 games.
     */
    lobbyGamesAfter(userId: string, f: StatsFilter, last: { clientId: string; gameId: string }) {
      const lastKey = sql`(select l.finished_at, l.game_id from game_seat l join game lg on lg.id = l.game_id
                           where l.user_id = ${userId} and lg.client_id = ${last.clientId} and lg.game_id = ${last.gameId})`;
      return rows<LobbyGameRow>(sql`
        select "clientId", "lobbyId", "gameId", "sequenceNumber", "startedAtSeconds" from (
          select g.client_id as "clientId", g.lobby_id as "lobbyId", g.game_id as "gameId", g.sequence_number as "sequenceNumber",
                 ${epochSeconds(sql`g.started_at`)} as "startedAtSeconds", s.finished_at, s.game_id,
                 (s.finished_at, s.game_id) < ${lastKey} as after_last,
                 bool_or((s.finished_at, s.game_id) >= ${lastKey}) over (partition by g.client_id, g.lobby_id) as lobby_exported
          from game_seat s join game g on g.id = s.game_id
          where ${mySeats(userId, f)} and g.lobby_id is not null
        ) lobby_games
        where after_last and lobby_exported
        order by finished_at desc, game_id desc`);
    },

    /** The user's games with one deck (optionally one deck name, for decks without a Swubase id). */
    async deck(userId: string, f: StatsFilter, deck: { id: string; name?: string | undefined }) {
      const where = sql`${mySeats(userId, f)} and s.deck_id = ${deck.id}${deck.name !== undefined ? sql` and s.deck_name = ${deck.name}` : sql``}`;
      const [summary, cards] = await Promise.all([
        rows<DeckSummaryRow>(sql`
          select ${TALLY}, ${latest("deck_name")} as "deckName", ${latest("deck_source")} as "deckSource",
                 ${latest("leader")} as "leader", ${latest("base")} as "base"
          from game_seat s where ${where}`),
        rows<CardRow>(sql`
          select m.card_id as "cardId", count(*)::int as "games",
                 avg(m.drawn)::float8 as "drawn", avg(m.played)::float8 as "played", avg(m.resourced)::float8 as "resourced",
                 avg(m.activated)::float8 as "activated", avg(m.discarded)::float8 as "discarded",
                 ${tallyWhere(sql`m.played > 0`, "played")}, ${tallyWhere(sql`m.played = 0`, "notPlayed")}
          from game_seat s
          join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
          cross join lateral unnest(c.card_ids, c.played, c.resourced, c.activated, c.drawn, c.discarded)
            as m(card_id, played, resourced, activated, drawn, discarded)
          where ${where}
          group by m.card_id
          order by "played" desc, "games" desc, m.card_id`),
      ]);
      return { summary: summary[0]!, cards };
    },
  };
}

export type StatsRepository = ReturnType<typeof statsRepository>;
