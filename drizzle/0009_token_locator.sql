-- Access and refresh tokens found by a locator instead of an index per digest (issue 7).
--
-- A refresh rotation rewrites four digest columns (access, previous access, refresh, previous
-- refresh). Each had a unique index, so no rotation could be a HOT update: the new row version got
-- an entry in every index of the table, nine per rotation, and at a million links those were
-- random leaf pages read from disk and written to WAL as full-page images (bench/results/scale.md).
-- Tokens now carry their link's locator (src/domain/tokens/token-vault.ts); the locator's index
-- never changes after activation, the digests are compared on the one row it finds, and a rotation
-- changes no indexed column.
--
-- Links already active keep working: they get a locator here, and a token issued before this
-- migration (no locator) is still accepted where the request names its external user (every call
-- of the deployed Karabast client: refresh-token, and game-result per player), found through the
-- one-active-link-per-external-user index. Its first refresh returns tokens with the locator. The
-- locator is not secret; a random UUID's first 16 hex digits are valid locator characters.
ALTER TABLE "user_integration" ADD COLUMN "token_locator" text;--> statement-breakpoint
UPDATE "user_integration" SET "token_locator" = substr(replace(gen_random_uuid()::text, '-', ''), 1, 16) WHERE "status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_token_locator_idx" ON "user_integration" USING btree ("token_locator");--> statement-breakpoint
DROP INDEX "user_integration_access_token_idx";--> statement-breakpoint
DROP INDEX "user_integration_prev_access_token_idx";--> statement-breakpoint
DROP INDEX "user_integration_refresh_token_idx";--> statement-breakpoint
DROP INDEX "user_integration_prev_refresh_token_idx";
