CREATE TABLE "partner_client" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"integration" text NOT NULL,
	"secret_digests" text[] NOT NULL,
	"redirect_uris" text[] NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retired_refresh_token" (
	"digest" "bytea" PRIMARY KEY NOT NULL,
	"link_id" text NOT NULL,
	"retired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_integration" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"client_id" text NOT NULL,
	"integration" text NOT NULL,
	"external_user_id" text NOT NULL,
	"scopes" text[] NOT NULL,
	"redirect_uri" text NOT NULL,
	"status" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link_token_digest" "bytea",
	"link_token_ciphertext" text,
	"link_token_expires_at" timestamp with time zone,
	"access_token_digest" "bytea",
	"access_token_ciphertext" text,
	"access_token_expires_at" timestamp with time zone,
	"previous_access_token_digest" "bytea",
	"previous_access_token_expires_at" timestamp with time zone,
	"refresh_token_digest" "bytea",
	"refresh_token_ciphertext" text,
	"refresh_token_expires_at" timestamp with time zone,
	"previous_refresh_token_digest" "bytea",
	"rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"linked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
ALTER TABLE "retired_refresh_token" ADD CONSTRAINT "retired_refresh_token_link_id_user_integration_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."user_integration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_integration" ADD CONSTRAINT "user_integration_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_integration" ADD CONSTRAINT "user_integration_client_id_partner_client_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "retired_refresh_token_link_idx" ON "retired_refresh_token" USING btree ("link_id");--> statement-breakpoint
CREATE INDEX "user_integration_user_idx" ON "user_integration" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_link_token_idx" ON "user_integration" USING btree ("link_token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_access_token_idx" ON "user_integration" USING btree ("access_token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_prev_access_token_idx" ON "user_integration" USING btree ("previous_access_token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_refresh_token_idx" ON "user_integration" USING btree ("refresh_token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_prev_refresh_token_idx" ON "user_integration" USING btree ("previous_refresh_token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_active_external_idx" ON "user_integration" USING btree ("client_id","external_user_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_active_user_idx" ON "user_integration" USING btree ("client_id","user_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_pending_user_idx" ON "user_integration" USING btree ("client_id","user_id") WHERE status = 'pending';