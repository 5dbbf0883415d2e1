/** The audit log of link events. Never holds a token or a secret. */
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
