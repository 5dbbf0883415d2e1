/**
 * Game results reported by partners (Karabast) and what the statistics read.
 *
 * - `game`: one row per finished game, unique per client and the partner's game id (ingest is
 *   idempotent on that pair). Games sharing a `lobby_id` with sequence numbers 1–3 form a
 *   best-of-three match.
 * - `game_payload`: the received `data` object minus access tokens, for audit and re-processing
 *   (json: stored as serialised, cast to jsonb to query it).
 * - `game_seat`: the two players. `user_id` is set only when the player's access token proved
 *   the Swubase user; deleting that account clears attribution but keeps the row (the other
 *   player's game stays whole). `finished_at`, `format` and the opponent's leader and base are
 *   copied onto the seat so per-user statistics read one index.
 *
 * No foreign key points from these tables to `partner_client`, `user` or `user_integration`: a
 * foreign-key check takes a KEY SHARE lock on the referenced row, i.e. every game would write to
 * the one partner_client row (MultiXact contention at 50 concurrent games) and to both players'
 * user and link rows (random pages at a million users). Triggers of migration 0004 keep the same
 * guarantees instead: removing a client deletes its games, deleting a user clears the
 * attribution of their seats; both first lock the game table so no insert in flight is missed.
 * Inside a game (payload, seats, card metrics → game) there are no foreign keys either (migration
 * 0007): the ingest statement inserts all of them together with their game, so the checks could
 * never fail, yet they were a fifth of its time and each locked the row just inserted. A
 * statement-level trigger on `game` keeps the cascade: deleting games deletes their payloads,
 * seats and card metrics.
 * - `game_card_metrics`: per seat and card, what happened to the card in that game.
 *
 * Re-exported from schema.ts so drizzle's schema object includes these tables.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Why a seat is not attributed to a Swubase user (`linked` when it is): no token sent, a token we
 * never issued (or not an access token), a token of a link that was revoked since, a real token
 * past its expiry (and the clock leeway), or a live token of another partner user.
 */
export type SeatAttribution = "linked" | "no_token" | "invalid_token" | "link_revoked" | "token_expired" | "token_user_mismatch";

/** A seat's result. Both players or neither reported as the winner is a draw for both (drizzle/0010). */
export type SeatResult = "win" | "loss" | "draw";

const at = (name: string) => timestamp(name, { withTimezone: true });

export const game = pgTable(
  "game",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The partner_client that reported it (no foreign key: see above; removal deletes its games). */
    clientId: text("client_id").notNull(),
    /** The partner's game id. */
    gameId: text("game_id").notNull(),
    lobbyId: text("lobby_id"),
    format: text("format").notNull(),
    startedAt: at("started_at").notNull(),
    finishedAt: at("finished_at").notNull(),
    roundNumber: integer("round_number"),
    sequenceNumber: smallint("sequence_number").notNull().default(1),
    receivedAt: at("received_at").notNull().defaultNow(),
  },
  // No index on lobby_id: statistics find a user's matches through their seats, never by lobby.
  (t) => [uniqueIndex("game_client_game_idx").on(t.clientId, t.gameId)],
);

export const gamePayload = pgTable("game_payload", {
  /** The game (no foreign key: see above; deleting the game deletes this row). */
  gameId: bigint("game_id", { mode: "number" }).primaryKey(),
  /** json, not jsonb: written once as serialised, never queried by member (migration 0005). */
  payload: json("payload").$type<Record<string, unknown>>().notNull(),
});

export const gameSeat = pgTable(
  "game_seat",
  {
    /** The game (no foreign key: see above; deleting the game deletes its seats). */
    gameId: bigint("game_id", { mode: "number" }).notNull(),
    seat: smallint("seat").notNull(),
    externalUserId: text("external_user_id").notNull(),
    /** The Swubase user (no foreign key: see above; deleting the user sets it and `link_id` to null). */
    userId: text("user_id"),
    /** The link whose access token proved the user (links are never deleted while their user exists). */
    linkId: text("link_id"),
    attribution: text("attribution").$type<SeatAttribution>().notNull(),
    leader: text("leader").notNull(),
    base: text("base").notNull(),
    deckId: text("deck_id"),
    deckName: text("deck_name"),
    deckSource: text("deck_source"),
    /** The partner's flag as reported; `result` is what statistics count. */
    isWinner: boolean("is_winner").notNull(),
    result: text("result").$type<SeatResult>().notNull(),
    // Copied from the game and the other seat, so per-user statistics need no join.
    finishedAt: at("finished_at").notNull(),
    format: text("format").notNull(),
    opponentLeader: text("opponent_leader").notNull(),
    opponentBase: text("opponent_base").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.gameId, t.seat] }),
    // Statistics read attributed seats only: unattributed ones (user_id null) get no entries. The
    // game id orders games that finished together and finds a user's games the export's job has
    // not reached yet (drizzle/0013) without reading the seats.
    index("game_seat_user_finished_idx").on(t.userId, t.finishedAt, t.gameId).where(sql`user_id is not null`),
    index("game_seat_user_deck_idx").on(t.userId, t.deckId).where(sql`user_id is not null`),
    // "Why wasn't my game counted?": the unattributed seats of a partner user id (drizzle/0010).
    index("game_seat_unattributed_idx").on(t.externalUserId, t.finishedAt).where(sql`user_id is null`),
  ],
);

/** What one card did in one seat's game, as the partner counts it (one element of each array below). */
export interface CardMetrics {
  played: number;
  resourced: number;
  activated: number;
  drawn: number;
  discarded: number;
}

/**
 * What happened to each card of a seat's deck in one game, as parallel arrays (element i of
 * every array belongs to `card_ids[i]`). One row per seat rather than one per card: ingest writes
 * two rows instead of ~50, and a deck's card statistics read one row per game and `unnest` it.
 */
export const gameCardMetrics = pgTable(
  "game_card_metrics",
  {
    gameId: bigint("game_id", { mode: "number" }).notNull(),
    seat: smallint("seat").notNull(),
    cardIds: text("card_ids").array().notNull(),
    played: integer("played").array().notNull(),
    resourced: integer("resourced").array().notNull(),
    activated: integer("activated").array().notNull(),
    drawn: integer("drawn").array().notNull(),
    discarded: integer("discarded").array().notNull(),
  },
  // No foreign key to the seat (see above): deleting the game deletes its card metrics.
  (t) => [primaryKey({ columns: [t.gameId, t.seat] })],
);
