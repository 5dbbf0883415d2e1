-- Real Karabast traffic counted right (issue 12).
--
-- 1. Every access token lives its own life. Each Karabast game-server process caches the access
--    token it last got for `expires_in - 300 s`; other processes rotate meanwhile, so a cached token
--    can be several rotations old. A rotation now records the access token it replaces next to the
--    retired refresh token (one row per rotation); lookups accept it until its own expiry (plus the
--    clock leeway) while the link is active. Rows from before this migration carry none.
ALTER TABLE "retired_refresh_token" ADD COLUMN "access_token_digest" "bytea";--> statement-breakpoint
ALTER TABLE "retired_refresh_token" ADD COLUMN "access_token_expires_at" timestamp with time zone;--> statement-breakpoint
-- 2. Win, loss or draw. Karabast reports a draw as two winners (and neither winner is possible):
--    both flags equal is a draw for both seats. Games already stored are re-derived from their
--    stored payloads (players[seat].data.isWinner), falling back to the seat's copy of the flag.
ALTER TABLE "game_seat" ADD COLUMN "result" text;--> statement-breakpoint
UPDATE "game_seat" s SET "result" = CASE
    WHEN f.mine = f.theirs THEN 'draw' WHEN f.mine THEN 'win' ELSE 'loss' END
  FROM (
    SELECT x.game_id, x.seat,
      coalesce((p.payload -> 'players' -> x.seat::int -> 'data' ->> 'isWinner')::boolean, x.is_winner) AS mine,
      coalesce((p.payload -> 'players' -> (1 - x.seat)::int -> 'data' ->> 'isWinner')::boolean, o.is_winner) AS theirs
    FROM "game_seat" x
    JOIN "game_seat" o ON o.game_id = x.game_id AND o.seat <> x.seat
    LEFT JOIN "game_payload" p ON p.game_id = x.game_id
  ) f
  WHERE s.game_id = f.game_id AND s.seat = f.seat;--> statement-breakpoint
UPDATE "game_seat" SET "result" = CASE WHEN "is_winner" THEN 'win' ELSE 'loss' END WHERE "result" IS NULL;--> statement-breakpoint
ALTER TABLE "game_seat" ALTER COLUMN "result" SET NOT NULL;--> statement-breakpoint
-- 3. "Why wasn't my game counted?": a player's unattributed seats, by their partner user id.
CREATE INDEX "game_seat_unattributed_idx" ON "game_seat" USING btree ("external_user_id","finished_at") WHERE user_id is null;
--> statement-breakpoint
-- ... and who owned that id when a game arrived: every link (any status) of a partner user. A
-- rotation changes neither column, so it stays a HOT update. The external user id leads, so no
-- generic plan of a `client_id = $1` lookup (the pending link-token one) prefers this index.
CREATE INDEX "user_integration_external_client_idx" ON "user_integration" USING btree ("external_user_id","client_id");
