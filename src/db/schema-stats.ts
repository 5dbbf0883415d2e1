/**
 * Per-user card tallies for GET /api/stats/cards (issue 14, drizzle/0012).
 *
 * - `user_card_tally`: for each attributed seat's card metrics, the seat's cards (its own leader
 *   and base left out, as the statistics leave them out) counted per user, format, leader, deck id
 *   (`''` for a seat without one), card and result: in how many of those seats the card was in the
 *   deck (`games`), drawn at least once, not drawn, played at least once, resourced at least once.
 *   Summing a user's rows per card gives the card metrics without unnesting every game's metrics
 *   (10,000 games × 20 cards: ~3,000 rows instead of 200,000). Rows of card id `''` count the seats
 *   themselves that came with card metrics (gamesWithCards; no card id is empty). Filters by
 *   format, leader and deck read the same rows; a date range or best-of filter cuts games apart
 *   and reads the games.
 * - `card_tally_state`: the one row of the fold job's progress: every game with an id up to
 *   `folded_up_to` is in the tallies (src/domain/stats/card-tally-fold.ts). Readers add the
 *   user's games above it from the seats, in the same statement, so the answer is always exact.
 * - `card_tally_dirty_user`: users whose tallies count games that were deleted since (a partner
 *   client removed: trigger of 0012). Their cards are read from the games until the job has
 *   counted their tallies again.
 *
 * Ingest writes none of these (a trigger kept at ingest cost it 20–23 % of its throughput,
 * measured in issue 14; the patch is in git history, commit 360d397). What may change a stored game's counts after ingest:
 * its deletion (marks its users), its user's deletion (the tallies go with the account, foreign
 * key ON DELETE CASCADE; the seats' user_id is cleared by 0004). Nothing updates a seat's result,
 * format, leader, deck or card metrics after ingest; a migration that does must mark the users
 * it changes in card_tally_dirty_user.
 */
import { bigint, boolean, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { game, type SeatResult } from "./schema-games.js";
import { user } from "./schema.js";

const at = (name: string) => timestamp(name, { withTimezone: true });

export const userCardTally = pgTable(
  "user_card_tally",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    format: text("format").notNull(),
    leader: text("leader").notNull(),
    /** The seat's deck id, '' for none (the deck filter never asks for ''). */
    deckId: text("deck_id").notNull(),
    /** The card; '' for the seat itself (counted when its metrics list any card). */
    cardId: text("card_id").notNull(),
    result: text("result").$type<SeatResult>().notNull(),
    games: integer("games").notNull(),
    drawn: integer("drawn").notNull(),
    notDrawn: integer("not_drawn").notNull(),
    played: integer("played").notNull(),
    resourced: integer("resourced").notNull(),
  },
  (t) => [primaryKey({ name: "user_card_tally_pk", columns: [t.userId, t.format, t.leader, t.deckId, t.cardId, t.result] })],
);

export const cardTallyState = pgTable("card_tally_state", {
  /** Always true: one row. */
  id: boolean("id").primaryKey().default(true),
  /** Every game with an id up to this is counted in user_card_tally. */
  foldedUpTo: bigint("folded_up_to", { mode: "number" }).notNull().default(0),
  foldedAt: at("folded_at"),
});

/**
 * No foreign key to the user: a partner client removed while one of its players deletes their
 * account must not fail on marking a user that is going; a mark of a deleted user counts nothing
 * (their seats have no user any more) and the next run removes it.
 */
export const cardTallyDirtyUser = pgTable("card_tally_dirty_user", {
  userId: text("user_id").primaryKey(),
  markedAt: at("marked_at").notNull().defaultNow(),
});

/**
 * The game export's records (GET /api/stats/export, drizzle/0013), one per attributed seat, written
 * by the statistics job (src/domain/stats/seat-export-fold.ts), never at ingest (storing them
 * there cost ingest 13 % of its throughput, measured in issue 14).
 *
 * All of an export record except the match id and the card names is fixed once the game is
 * stored: the three runs of fields between them are kept here as CSV and as JSON text
 * (src/domain/stats/export-pieces.ts), with the seat's filter columns (the statistics filters read
 * them as on game_seat), its cards and the game's match facts. An export reads these alone: one
 * index, no join, three texts per game instead of sixteen values for the driver to decode.
 * `seat_export_state.exported_up_to`: every attributed seat of a game with an id up to it is
 * here; the export reads the user's games above it from the seats, so it is exact whatever the
 * job's progress. A deleted game or user takes its records along (foreign keys).
 */
export const seatExport = pgTable(
  "seat_export",
  {
    gameId: bigint("game_id", { mode: "number" })
      .notNull()
      .references(() => game.id, { onDelete: "cascade" }),
    seat: smallint("seat").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    // The seat's columns the statistics filters read (stats-repository.ts mySeats), and its cards.
    finishedAt: at("finished_at").notNull(),
    format: text("format").notNull(),
    leader: text("leader").notNull(),
    base: text("base").notNull(),
    deckId: text("deck_id"),
    opponentLeader: text("opponent_leader").notNull(),
    opponentBase: text("opponent_base").notNull(),
    // What decides the game's match (src/domain/stats/match-runs.ts).
    clientId: text("client_id").notNull(),
    lobbyId: text("lobby_id"),
    partnerGameId: text("partner_game_id").notNull(),
    sequenceNumber: smallint("sequence_number").notNull(),
    startedAt: at("started_at").notNull(),
    // The record's fixed parts.
    csvLead: text("csv_lead").notNull(),
    csvDeck: text("csv_deck").notNull(),
    csvEnd: text("csv_end").notNull(),
    jsonLead: text("json_lead").notNull(),
    jsonDeck: text("json_deck").notNull(),
    jsonEnd: text("json_end").notNull(),
  },
  (t) => [primaryKey({ columns: [t.gameId, t.seat] }), index("seat_export_user_finished_idx").on(t.userId, t.finishedAt, t.gameId)],
);

export const seatExportState = pgTable("seat_export_state", {
  /** Always true: one row. */
  id: boolean("id").primaryKey().default(true),
  /** Every attributed seat of a game with an id up to this is in seat_export. */
  exportedUpTo: bigint("exported_up_to", { mode: "number" }).notNull().default(0),
  exportedAt: at("exported_at"),
});
