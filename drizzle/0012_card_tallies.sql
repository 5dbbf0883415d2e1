-- Per-user card tallies for GET /api/stats/cards (issue 14), counted by a bounded background job.
--
-- The card metrics over all of a user's decks summed, for every game, each card's drawn, played
-- and resourced flags by result: at 10,000 games of 20 cards that is 200,000 unnested elements per
-- request (~90–350 ms, bench/results/stats.md), growing with every game. user_card_tally holds the
-- same counts already summed per user, format, leader, deck id, card and result (a few thousand
-- rows for those 10,000 games), so the endpoint sums those and adds the games the job has not
-- counted yet (src/db/schema-stats.ts, src/domain/stats/card-tally-fold.ts).
--
-- Nothing here runs at ingest: triggers that counted each game as it was stored cost ingest
-- 20–23 % of its throughput (issue 14 allows 10 %). The job counts settled game ids in ranges
-- (one statement per range, many games per tally row), the readers add the rest.
--
-- No backfill here: the job counts the games stored before this migration in its first runs,
-- and until then the endpoint reads them from the games, exactly as before.
CREATE TABLE "card_tally_dirty_user" (
	"user_id" text PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "card_tally_state" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"folded_up_to" bigint DEFAULT 0 NOT NULL,
	"folded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "user_card_tally" (
	"user_id" text NOT NULL,
	"format" text NOT NULL,
	"leader" text NOT NULL,
	"deck_id" text NOT NULL,
	"card_id" text NOT NULL,
	"result" text NOT NULL,
	"games" integer NOT NULL,
	"drawn" integer NOT NULL,
	"not_drawn" integer NOT NULL,
	"played" integer NOT NULL,
	"resourced" integer NOT NULL,
	CONSTRAINT "user_card_tally_pk" PRIMARY KEY("user_id","format","leader","deck_id","card_id","result")
);
--> statement-breakpoint
ALTER TABLE "user_card_tally" ADD CONSTRAINT "user_card_tally_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "card_tally_state" ("id", "folded_up_to") VALUES (true, 0);--> statement-breakpoint
-- Each fold rewrites the rows of the cards it counts: room on the page keeps the new versions
-- there (HOT, no index entry), as 0008 does for user_integration.
ALTER TABLE "user_card_tally" SET (fillfactor = 70);--> statement-breakpoint
-- The job's counting rule (the readers' query over the games, stats-breakdown-repository.ts,
-- counts the same way in a form PostgreSQL runs in parallel; card-tally.test.ts proves both
-- agree): a seat's counted cards, one row each: the seat's own leader and base left out; drawn, played,
-- resourced when at least 1, "not drawn" when not drawn > 0 (1 or 0; neither when the count is
-- null). And one row of card id '' for the seat itself when its metrics list any card: the games
-- that came with card metrics ("gamesWithCards"). No card is called '' (ingest refuses an empty id).
CREATE FUNCTION "card_tally_counts"("ids" text[], "drawn_counts" integer[], "played_counts" integer[], "resourced_counts" integer[], "own_leader" text, "own_base" text)
  RETURNS TABLE ("card_id" text, "drawn" integer, "not_drawn" integer, "played" integer, "resourced" integer)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT m.card_id, (m.drawn > 0)::int, (NOT m.drawn > 0)::int, (m.played > 0)::int, (m.resourced > 0)::int
  FROM unnest("ids", "drawn_counts", "played_counts", "resourced_counts") AS m(card_id, drawn, played, resourced)
  WHERE m.card_id <> "own_leader" AND m.card_id <> "own_base"
  UNION ALL
  SELECT '', 0, 0, 0, 0 WHERE cardinality("ids") > 0
$$;--> statement-breakpoint
-- Deleted games (a partner client removed) leave the tallies of their players: the users are
-- marked, read from the games until the job counts their tallies again. AFTER triggers fire in
-- name order, so this one ("game_delete_card_…") still finds the seats that 0007's
-- "game_delete_children" deletes next.
CREATE FUNCTION "card_tally_mark_deleted_game_users"() RETURNS trigger LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  INSERT INTO "card_tally_dirty_user" ("user_id", "marked_at")
    SELECT DISTINCT s."user_id", now() FROM "game_seat" s JOIN "gone" ON s."game_id" = "gone"."id" WHERE s."user_id" IS NOT NULL
    ON CONFLICT ("user_id") DO UPDATE SET "marked_at" = excluded."marked_at";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "game_delete_card_tally_marks" AFTER DELETE ON "game" REFERENCING OLD TABLE AS "gone"
  FOR EACH STATEMENT EXECUTE FUNCTION "card_tally_mark_deleted_game_users"();
