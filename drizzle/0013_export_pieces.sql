-- The game export reads one row per game (issue 14: p50 < 100 ms at 10,000 games).
--
-- An export of 10,000 games joined game_seat to game, sorted, and decoded 16 values per game in
-- Node (bench/results/stats.md): ~100 ms before any CSV was written. Everything in an export
-- record except the match id and the card names never changes once the game is stored, so the
-- seat now keeps it, written once as CSV and as JSON text (src/domain/stats/export-pieces.ts), with
-- its copy of what decides the game's match (client, lobby, partner game id, sequence number,
-- start). The export reads these, no join and three text parts per game.
--
-- Seats stored before this migration have them null: the statistics job writes them
-- (game_seat_export_todo_idx lists the attributed seats still to do), and until a user's seats
-- all have them, that user's export is read from the games exactly as before.
ALTER TABLE "game_seat" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "lobby_id" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "partner_game_id" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "sequence_number" smallint;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_csv_lead" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_csv_deck" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_csv_end" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_json_lead" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_json_deck" text;--> statement-breakpoint
ALTER TABLE "game_seat" ADD COLUMN "export_json_end" text;--> statement-breakpoint
CREATE INDEX "game_seat_export_todo_idx" ON "game_seat" USING btree ("game_id") WHERE user_id is not null and export_csv_lead is null;