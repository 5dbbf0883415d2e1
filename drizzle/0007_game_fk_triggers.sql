-- Game ingest checks no foreign key inside the game it inserts (as 0004 did for the rows a game
-- only refers to).
--
-- The ingest statement (INGEST in src/repositories/game-repository.ts) inserts a game with its
-- payload, two seats and two card-metrics rows, all from the RETURNING of the game insert, and
-- nothing else ever inserts into those three tables. Their foreign keys (payload and seats → game,
-- card metrics → seat, ON DELETE CASCADE since 0002) therefore could never fail, yet their five
-- RI checks took 0.11 of the statement's 0.51 ms (EXPLAIN ANALYZE on the benchmark database), and
-- each took a KEY SHARE lock on a row the same statement had just inserted: the game row written
-- once more, and each seat row, a heap LOCK record apiece in WAL. Measured without them on
-- PostgreSQL 15 (2,000 linked players, 10,000 games, FKs added and dropped in alternating rounds):
-- the statement's mean execution 0.50 → 0.42 ms, WAL per game 22.1 → 19.1 records (exactly the
-- three LOCKs), 4.89 → 4.71 kB; pgbench of the statement, 8 clients, synchronous_commit off,
-- about 18% more games per second.
-- So the three foreign keys go, and one trigger keeps what their ON DELETE CASCADE guaranteed:
-- deleting games deletes their payloads, seats and card metrics. It runs AFTER each DELETE
-- statement on game, once, with the deleted rows as a transition table, and deletes each child
-- table's rows of all those games with one statement (card metrics by game, not by seat: nothing
-- deletes a seat but its game's deletion). A client removal deletes all the client's games with
-- one statement (0004's trigger), so that is three DELETEs where the cascades ran three queries
-- per game (20,000 of 200,000 games: 0.38 s, was 0.56 s). PL/pgSQL plans each statement once per
-- session, for the row count of the first call, and keeps the plan: a first bulk removal would
-- leave hash joins over whole child tables for every later deletion of one game in that session
-- (seen on PostgreSQL 15). So the function turns sequential scans, hash and merge joins off for
-- its own duration: every child row is found through its primary key (game_payload_pkey,
-- game_seat_game_id_seat_pk, game_card_metrics_game_id_seat_pk) whatever the count, as the
-- cascades found them.
-- No lock is needed. A child row is inserted only by the statement that inserts its game, so none
-- can appear for a game that is being or has been deleted: a game the deleting statement sees
-- committed together with all its children, and the trigger's statements, whose snapshot is no
-- older, find them all; a game whose insert is still in flight is invisible to the deleting
-- statement, is not deleted, and commits whole. A client removal never even leaves such a game
-- behind: 0004's trigger locks game against inserts first, so the client's games in flight commit
-- before its DELETE and are deleted with their children, and later ones find the client gone and
-- insert nothing. Of two deletions of the same game, the second waits on the game row and then
-- leaves it out of its transition table. Nothing updates game.id (an identity column) or
-- truncates these tables.
ALTER TABLE "game_card_metrics" DROP CONSTRAINT "game_card_metrics_seat_fk";
--> statement-breakpoint
ALTER TABLE "game_payload" DROP CONSTRAINT "game_payload_game_id_game_id_fk";
--> statement-breakpoint
ALTER TABLE "game_seat" DROP CONSTRAINT "game_seat_game_id_game_id_fk";
--> statement-breakpoint
CREATE FUNCTION "game_delete_children"() RETURNS trigger LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  DELETE FROM "game_payload" p USING "gone" WHERE p."game_id" = "gone"."id";
  DELETE FROM "game_seat" s USING "gone" WHERE s."game_id" = "gone"."id";
  DELETE FROM "game_card_metrics" m USING "gone" WHERE m."game_id" = "gone"."id";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "game_delete_children" AFTER DELETE ON "game" REFERENCING OLD TABLE AS "gone"
  FOR EACH STATEMENT EXECUTE FUNCTION "game_delete_children"();
