/**
 * Public profiles and the meta across players (issue 14, drizzle/0011).
 *
 * - `user_profile`: a user's public handle and two choices, both off until the user changes them:
 *   `public_stats` (their statistics at /u/{handle}) and `meta_opt_out` (their games left out of
 *   the meta). Handles are unique whatever their case (index on lower(handle)); a user without
 *   a row has neither handle nor public statistics, and counts in the meta.
 * - `meta_daily`: games, wins, losses and draws per UTC day (of finished_at), format, kind
 *   (leader or base) and card, over the attributed seats of players who have not opted out.
 *   Kept per `chunk` of game ids too (game.id / 10,000) so a refresh rewrites one chunk from its
 *   seats (a primary-key range of game_seat) without any index on game_seat.finished_at: ingest
 *   writes nothing more than before. Readers sum over chunks.
 * - `meta_refresh`: the one row of the refresh job's progress (src/domain/meta/meta-refresh.ts).
 * - `meta_dirty_chunk`: chunks to rewrite at the next run, whatever their age: those of a player
 *   who opted out or back in, of a deleted account, and of deleted games (triggers of 0011).
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./schema.js";

const at = (name: string) => timestamp(name, { withTimezone: true });

export const userProfile = pgTable(
  "user_profile",
  {
    /** The user (foreign key with ON DELETE CASCADE: the profile goes with the account). */
    userId: text("user_id")
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    /** As the user wrote it (shown so); unique in lower case. Null until one is chosen. */
    handle: text("handle"),
    publicStats: boolean("public_stats").notNull().default(false),
    metaOptOut: boolean("meta_opt_out").notNull().default(false),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("user_profile_handle_idx").on(sql`lower(${t.handle})`)],
);

/** Whether a meta row counts a leader or a base. */
export type MetaKind = "leader" | "base";

export const metaDaily = pgTable(
  "meta_daily",
  {
    chunk: bigint("chunk", { mode: "number" }).notNull(),
    day: date("day").notNull(),
    format: text("format").notNull(),
    kind: text("kind").$type<MetaKind>().notNull(),
    cardId: text("card_id").notNull(),
    games: integer("games").notNull(),
    wins: integer("wins").notNull(),
    losses: integer("losses").notNull(),
    draws: integer("draws").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chunk, t.day, t.format, t.kind, t.cardId] }), index("meta_daily_kind_day_idx").on(t.kind, t.day)],
);

export const metaRefresh = pgTable("meta_refresh", {
  /** Always true: one row. */
  id: boolean("id").primaryKey().default(true),
  /** Every game with an id up to this was in a chunk rewritten after its statement committed. */
  countedUpTo: bigint("counted_up_to", { mode: "number" }).notNull().default(0),
  /** Every game with an id up to this has committed (or never will): seen as the newest id at least SETTLE_MS earlier. */
  settledUpTo: bigint("settled_up_to", { mode: "number" }).notNull().default(0),
  /** The newest game id at `pending_since`, which becomes `settled_up_to` once SETTLE_MS have passed. */
  pendingUpTo: bigint("pending_up_to", { mode: "number" }).notNull().default(0),
  pendingSince: at("pending_since"),
  /** The next chunk the slow sweep rewrites (a safety net: every chunk is rewritten now and then). */
  sweepNext: bigint("sweep_next", { mode: "number" }).notNull().default(0),
  refreshedAt: at("refreshed_at"),
});

export const metaDirtyChunk = pgTable("meta_dirty_chunk", {
  chunk: bigint("chunk", { mode: "number" }).primaryKey(),
  markedAt: at("marked_at").notNull().defaultNow(),
});
