CREATE TABLE "game" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "game_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"client_id" text NOT NULL,
	"game_id" text NOT NULL,
	"lobby_id" text,
	"format" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"round_number" integer,
	"sequence_number" smallint DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "game_card_metrics" (
	"game_id" bigint NOT NULL,
	"seat" smallint NOT NULL,
	"card_ids" text[] NOT NULL,
	"played" integer[] NOT NULL,
	"resourced" integer[] NOT NULL,
	"activated" integer[] NOT NULL,
	"drawn" integer[] NOT NULL,
	"discarded" integer[] NOT NULL,
	CONSTRAINT "game_card_metrics_game_id_seat_pk" PRIMARY KEY("game_id","seat")
);
--> statement-breakpoint
CREATE TABLE "game_payload" (
	"game_id" bigint PRIMARY KEY NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "game_seat" (
	"game_id" bigint NOT NULL,
	"seat" smallint NOT NULL,
	"external_user_id" text NOT NULL,
	"user_id" text,
	"link_id" text,
	"attribution" text NOT NULL,
	"leader" text NOT NULL,
	"base" text NOT NULL,
	"deck_id" text,
	"deck_name" text,
	"deck_source" text,
	"is_winner" boolean NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"format" text NOT NULL,
	"opponent_leader" text NOT NULL,
	"opponent_base" text NOT NULL,
	CONSTRAINT "game_seat_game_id_seat_pk" PRIMARY KEY("game_id","seat")
);
--> statement-breakpoint
ALTER TABLE "game" ADD CONSTRAINT "game_client_id_partner_client_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "game_card_metrics" ADD CONSTRAINT "game_card_metrics_seat_fk" FOREIGN KEY ("game_id","seat") REFERENCES "public"."game_seat"("game_id","seat") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "game_payload" ADD CONSTRAINT "game_payload_game_id_game_id_fk" FOREIGN KEY ("game_id") REFERENCES "public"."game"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "game_seat" ADD CONSTRAINT "game_seat_game_id_game_id_fk" FOREIGN KEY ("game_id") REFERENCES "public"."game"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "game_seat" ADD CONSTRAINT "game_seat_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "game_seat" ADD CONSTRAINT "game_seat_link_id_user_integration_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."user_integration"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "game_client_game_idx" ON "game" USING btree ("client_id","game_id");--> statement-breakpoint
CREATE INDEX "game_lobby_idx" ON "game" USING btree ("lobby_id");--> statement-breakpoint
CREATE INDEX "game_seat_user_finished_idx" ON "game_seat" USING btree ("user_id","finished_at");--> statement-breakpoint
CREATE INDEX "game_seat_user_deck_idx" ON "game_seat" USING btree ("user_id","deck_id");