CREATE TABLE "link_event" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"event" text NOT NULL,
	"user_id" text,
	"client_id" text,
	"external_user_id" text,
	"link_id" text,
	"ip" text,
	"user_agent" text,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "rate_limit" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "user_integration" ADD COLUMN "code_challenge" text;--> statement-breakpoint
ALTER TABLE "user_integration" ADD COLUMN "used_link_token_digest" "bytea";--> statement-breakpoint
ALTER TABLE "link_event" ADD CONSTRAINT "link_event_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_event_user_at_idx" ON "link_event" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "link_event_at_idx" ON "link_event" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_used_link_token_idx" ON "user_integration" USING btree ("used_link_token_digest");