-- Public profiles and the meta across players (issue 14).
--
-- 1. user_profile: a handle (unique whatever its case), public statistics (off until turned on)
--    and the meta opt-out (off: a player's games count in the meta until they opt out).
CREATE TABLE "user_profile" (
	"user_id" text PRIMARY KEY NOT NULL,
	"handle" text,
	"public_stats" boolean DEFAULT false NOT NULL,
	"meta_opt_out" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user_profile" ADD CONSTRAINT "user_profile_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "user_profile_handle_idx" ON "user_profile" USING btree (lower("handle"));--> statement-breakpoint
-- 2. The meta, pre-aggregated per UTC day, format, leader or base, and chunk of 10,000 game ids
--    (game.id / 10000). A refresh (src/domain/meta/meta-refresh.ts) rewrites whole chunks from
--    game_seat's primary key, so ingest is untouched: no trigger, no new index on game_seat.
CREATE TABLE "meta_daily" (
	"chunk" bigint NOT NULL,
	"day" date NOT NULL,
	"format" text NOT NULL,
	"kind" text NOT NULL,
	"card_id" text NOT NULL,
	"games" integer NOT NULL,
	"wins" integer NOT NULL,
	"losses" integer NOT NULL,
	"draws" integer NOT NULL,
	CONSTRAINT "meta_daily_chunk_day_format_kind_card_id_pk" PRIMARY KEY("chunk","day","format","kind","card_id")
);
--> statement-breakpoint
CREATE INDEX "meta_daily_kind_day_idx" ON "meta_daily" USING btree ("kind","day");--> statement-breakpoint
-- The refresh job's progress, one row. Games already stored count as settled (no statement that
-- inserted them can still be running), so the first runs rewrite every chunk: the backfill.
CREATE TABLE "meta_refresh" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"counted_up_to" bigint DEFAULT 0 NOT NULL,
	"settled_up_to" bigint DEFAULT 0 NOT NULL,
	"pending_up_to" bigint DEFAULT 0 NOT NULL,
	"pending_since" timestamp with time zone,
	"sweep_next" bigint DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone
);
--> statement-breakpoint
INSERT INTO "meta_refresh" ("id", "settled_up_to", "pending_up_to")
  SELECT true, coalesce(max("id"), 0), coalesce(max("id"), 0) FROM "game";--> statement-breakpoint
-- Chunks to rewrite at the next run whatever their age: a player opted out or back in (the
-- profile update marks their chunks in the same statement), an account was deleted, games were
-- deleted (the two triggers below).
CREATE TABLE "meta_dirty_chunk" (
	"chunk" bigint PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- An account's games leave the meta at the next run. BEFORE DELETE triggers fire in name order:
-- this one ("user_delete_…") runs before 0004's "user_forget_game_seats" clears the seats' user_id.
CREATE FUNCTION "meta_mark_user_chunks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "meta_dirty_chunk" ("chunk", "marked_at")
    SELECT DISTINCT "game_id" / 10000, now() FROM "game_seat" WHERE "user_id" = OLD."id"
    ON CONFLICT ("chunk") DO UPDATE SET "marked_at" = excluded."marked_at";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_delete_marks_meta_chunks" BEFORE DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION "meta_mark_user_chunks"();--> statement-breakpoint
-- Deleted games (a partner client removed) leave the meta at the next run: one statement per
-- DELETE, from its transition table, like 0007's game_delete_children.
CREATE FUNCTION "meta_mark_deleted_game_chunks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "meta_dirty_chunk" ("chunk", "marked_at")
    SELECT DISTINCT "id" / 10000, now() FROM "gone"
    ON CONFLICT ("chunk") DO UPDATE SET "marked_at" = excluded."marked_at";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "game_delete_marks_meta_chunks" AFTER DELETE ON "game" REFERENCING OLD TABLE AS "gone"
  FOR EACH STATEMENT EXECUTE FUNCTION "meta_mark_deleted_game_chunks"();
