/** The audit log of link events. Never holds a token or a secret. */
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** What happened to a link (the `event` column). */
export type AuditEventName =
  | "link_requested"
  | "link_approved"
  | "link_denied"
  | "link_confirmed"
  | "link_replaced"
  | "token_refreshed"
  | "refresh_reuse_detected"
  | "unlinked_by_user"
  | "unlinked_by_partner"
  | "token_rejected"
  | "client_auth_failed";

/**
 * An event that a repository writes in the same statement as the change it records (one round
 * trip and one commit on the hot paths: link confirmation and refresh rotation). The repository
 * fills in the user, client, external user and link ids from the row it changed, so the event
 * exists exactly when the change does.
 */
export interface StatementEvent {
  id: string;
  at: Date;
  event: AuditEventName;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

export const linkEvent = pgTable(
  "link_event",
  {
    id: text("id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    event: text("event").notNull(),
    /**
     * The Swubase user the event concerns, when known; their history goes with their account: a
     * trigger on "user" deletes it (drizzle/0006; no foreign key, whose check locked the user row).
     */
    userId: text("user_id"),
    clientId: text("client_id"),
    externalUserId: text("external_user_id"),
    linkId: text("link_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** A short reason, e.g. why a token was rejected. */
    detail: text("detail"),
  },
  (t) => [index("link_event_user_at_idx").on(t.userId, t.at), index("link_event_at_idx").on(t.at)],
);

/** Shared rate-limit counters (rate-limiter-flexible's Drizzle store), when Redis is not configured. */
export const rateLimit = pgTable("rate_limit", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true }),
});
