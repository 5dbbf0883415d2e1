-- The game export's records (issue 14: export p50 < 100 ms at 10,000 games).
--
-- An export of 10,000 games joined game_seat to game, sorted, and decoded 16 values per game in
-- Node (bench/results/stats.md): ~100 ms before a byte of the file was written. All of an export
-- record except the match id and the card names is fixed once the game is stored, so seat_export
-- keeps those parts as CSV and JSON text, one row per attributed seat, with the seat's filter
-- columns, its cards and the game's match facts (src/db/schema-stats.ts). The export reads three
-- texts per game from one index and no join.
--
-- The statistics job writes the rows (src/domain/stats/seat-export-fold.ts) in settled game-id
-- ranges, as it counts the card tallies; nothing here runs at ingest (writing the parts in the
-- ingest statement cost it 13 % of its throughput). The export reads the games above
-- seat_export_state.exported_up_to from the seats, so it is exact whatever the job's progress,
-- right after this migration too (then every game is above it, and the export reads as before).
--
-- game_seat_user_finished_idx gains the game id: the export's order (finish, then arrival) and
-- its "games the job has not reached" are read from the index.
CREATE TABLE "seat_export" (
	"game_id" bigint NOT NULL,
	"seat" smallint NOT NULL,
	"user_id" text NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"format" text NOT NULL,
	"leader" text NOT NULL,
	"base" text NOT NULL,
	"deck_id" text,
	"opponent_leader" text NOT NULL,
	"opponent_base" text NOT NULL,
	"client_id" text NOT NULL,
	"lobby_id" text,
	"partner_game_id" text NOT NULL,
	"sequence_number" smallint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"csv_lead" text NOT NULL,
	"csv_deck" text NOT NULL,
	"csv_end" text NOT NULL,
	"json_lead" text NOT NULL,
	"json_deck" text NOT NULL,
	"json_end" text NOT NULL,
	CONSTRAINT "seat_export_game_id_seat_pk" PRIMARY KEY("game_id","seat")
);
--> statement-breakpoint
CREATE TABLE "seat_export_state" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"exported_up_to" bigint DEFAULT 0 NOT NULL,
	"exported_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "game_seat_user_finished_idx";--> statement-breakpoint
ALTER TABLE "seat_export" ADD CONSTRAINT "seat_export_game_id_game_id_fk" FOREIGN KEY ("game_id") REFERENCES "public"."game"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_export" ADD CONSTRAINT "seat_export_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "seat_export_user_finished_idx" ON "seat_export" USING btree ("user_id","finished_at","game_id");--> statement-breakpoint
CREATE INDEX "game_seat_user_finished_idx" ON "game_seat" USING btree ("user_id","finished_at","game_id") WHERE user_id is not null;--> statement-breakpoint
INSERT INTO "seat_export_state" ("id", "exported_up_to") VALUES (true, 0);
