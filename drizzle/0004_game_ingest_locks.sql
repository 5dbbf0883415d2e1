-- Game ingest writes no lock into rows it only refers to (issues 4 and 7).
--
-- A foreign-key check takes a KEY SHARE lock on the referenced row, and locking a row writes it:
-- every game locked the ONE partner_client row (with 50 games in flight that is a new MultiXact
-- per insert, ~20% of the endpoint's throughput in bench/results/latest.md) and both players'
-- user and user_integration rows (at a million users, random pages dirtied and written to WAL as
-- full-page images after each checkpoint). So these three foreign keys go, and two triggers keep
-- what they guaranteed:
--   * removing a partner client deletes its games (was ON DELETE CASCADE; payload, seats and card
--     metrics follow through their own foreign keys to game, which stay);
--   * deleting a user clears user_id and link_id of their seats (was ON DELETE SET NULL on both:
--     a seat's link always belongs to the seat's user, and links are only deleted with their user
--     or their client).
-- Both triggers run BEFORE the row is deleted and first lock the game table against inserts
-- (SHARE ROW EXCLUSIVE: waits for games in flight, holds new ones until the deletion commits).
-- A game whose statement started earlier is therefore committed and found by the cleanup, and a
-- later one sees the client or the user's links gone (the ingest statement checks both), so
-- nothing is orphaned. Client removal and account deletion are rare; ingest pauses for their
-- duration. game.client_id has an index (game_client_game_idx) and game_seat.user_id two, so
-- the cleanup never scans.
ALTER TABLE "game" DROP CONSTRAINT "game_client_id_partner_client_client_id_fk";
--> statement-breakpoint
ALTER TABLE "game_seat" DROP CONSTRAINT "game_seat_user_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "game_seat" DROP CONSTRAINT "game_seat_link_id_user_integration_id_fk";
--> statement-breakpoint
-- Statistics only read attributed seats: unattributed ones (user_id null) need no index entries.
DROP INDEX "game_seat_user_finished_idx";--> statement-breakpoint
DROP INDEX "game_seat_user_deck_idx";--> statement-breakpoint
CREATE INDEX "game_seat_user_finished_idx" ON "game_seat" USING btree ("user_id","finished_at") WHERE user_id is not null;--> statement-breakpoint
CREATE INDEX "game_seat_user_deck_idx" ON "game_seat" USING btree ("user_id","deck_id") WHERE user_id is not null;--> statement-breakpoint
CREATE FUNCTION "game_delete_client_games"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "game" IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM "game" WHERE "client_id" = OLD."client_id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "partner_client_delete_games" BEFORE DELETE ON "partner_client"
  FOR EACH ROW EXECUTE FUNCTION "game_delete_client_games"();--> statement-breakpoint
CREATE FUNCTION "game_seat_forget_user"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "game" IN SHARE ROW EXCLUSIVE MODE;
  UPDATE "game_seat" SET "user_id" = NULL, "link_id" = NULL WHERE "user_id" = OLD."id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_forget_game_seats" BEFORE DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION "game_seat_forget_user"();
