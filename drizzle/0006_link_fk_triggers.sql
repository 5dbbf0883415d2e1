-- Refresh rotation and link confirmation write no lock into rows they only refer to (as 0004 did
-- for game ingest).
--
-- Each rotation (ROTATE_REFRESH_TOKEN in src/repositories/link-repository.ts) and each
-- confirmation (ACTIVATE_WITH_LINK_TOKEN) inserts a link_event row, and each rotation a
-- retired_refresh_token row. Their foreign keys' checks took a KEY SHARE lock on the player's
-- "user" row and on the link row: locking a row writes it (a WAL record, a dirtied page, a
-- full-page image after each checkpoint; at a million players, random pages). The link row is
-- updated by the same statement anyway, but its lock was a second heap write all the same.
-- Measured on 20,000 links (PostgreSQL 15): a rotation wrote 23 WAL records, about three of them
-- heap LOCKs, and its two RI triggers took ~0.07 of ~0.45 ms; now 20 records, about one a LOCK
-- (heap_update's own, when the new version goes to another page). So both foreign keys go, and
-- two triggers keep what their ON DELETE CASCADE guaranteed:
--   * deleting a user deletes their link events. link_event.user_id stays nullable (events
--     without a user, e.g. client_auth_failed, are untouched, as before). The trigger runs BEFORE
--     the user row is deleted and first locks link_event against inserts (SHARE ROW EXCLUSIVE:
--     waits for a rotation or confirmation in flight, holds new ones until the deletion commits).
--     A statement that started earlier has therefore committed its event and the cleanup finds
--     it; a later one finds the user's links gone (the cascade from "user" deletes them in the
--     same transaction) and writes no event, since both statements take the event's user from the
--     link row they update. Neither statement waits for the user row any more, so this cannot
--     deadlock. Nothing in the application deletes users or writes an event while deleting one
--     (better-auth's deleteUser is not enabled, the CLI has no such command): deletion is an
--     operator's DELETE, rare, and event inserts pause for its duration. The other events are
--     written best effort by a later statement with a user id read before (src/domain/audit);
--     that insert checks the user still exists (src/repositories/audit-repository.ts): it waits
--     on this lock, then sees the deletion and writes nothing, as the foreign key refused it.
--   * deleting a link deletes its retired refresh digests. Links are only deleted by the cascades
--     from "user" and partner_client, and those cascades fire ordinary triggers. No table lock is
--     needed: a retired digest is inserted only by the rotation, which updates (row-locks) the
--     link row in the same statement. A deletion that comes first holds the row, and the rotation
--     then finds it deleted and retires nothing; a rotation that comes first makes the deletion
--     wait for its commit (the row lock is taken before a BEFORE trigger runs), and the cleanup's
--     fresh snapshot then sees its digest.
-- Both cleanups use an index (link_event_user_at_idx, retired_refresh_token_link_idx). The
-- triggers fire in name order: on "user", user_delete_link_events before 0004's
-- user_forget_game_seats, so a deletion locks link_event, then game; nothing locks them in the
-- other order.
--
-- Only pending links hold a link token (confirmation and revocation clear it), so the unique index
-- on link_token_digest becomes partial: a rotation's UPDATE, never HOT, no longer adds a NULL
-- entry to it. Confirmation's lookup (link_token_digest = $1) implies the predicate and still uses
-- it. used_link_token_digest is set on every active link, and the access and refresh digest
-- columns on every active link once rotated, so their indexes stay whole.
ALTER TABLE "retired_refresh_token" DROP CONSTRAINT "retired_refresh_token_link_id_user_integration_id_fk";
--> statement-breakpoint
ALTER TABLE "link_event" DROP CONSTRAINT "link_event_user_id_user_id_fk";
--> statement-breakpoint
DROP INDEX "user_integration_link_token_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "user_integration_link_token_idx" ON "user_integration" USING btree ("link_token_digest") WHERE link_token_digest is not null;
--> statement-breakpoint
CREATE FUNCTION "link_event_delete_user_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "link_event" IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM "link_event" WHERE "user_id" = OLD."id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_delete_link_events" BEFORE DELETE ON "user"
  FOR EACH ROW EXECUTE FUNCTION "link_event_delete_user_events"();--> statement-breakpoint
CREATE FUNCTION "retired_refresh_token_delete_link_digests"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "retired_refresh_token" WHERE "link_id" = OLD."id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "user_integration_delete_retired_refresh_tokens" BEFORE DELETE ON "user_integration"
  FOR EACH ROW EXECUTE FUNCTION "retired_refresh_token_delete_link_digests"();
