/**
 * The database schema: better-auth's tables (user, session, account, verification) and ours.
 * drizzle-kit generates the SQL migrations in `drizzle/` from this file (`npm run db:generate`).
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** bytea, normalised to Buffer (postgres.js returns Buffer, PGlite returns Uint8Array). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------- better-auth
export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_id_idx").on(t.userId)],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("account_user_id_idx").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

// ---------------------------------------------------------------- partner clients
/**
 * A registered partner (Karabast or any OAuth client). Secrets are stored only as SHA-256
 * digests (they are 256-bit random, so a fast hash is right); two may be valid during rotation.
 */
export const partnerClient = pgTable("partner_client", {
  clientId: text("client_id").primaryKey(),
  name: text("name").notNull(),
  integration: text("integration").notNull(),
  secretDigests: text("secret_digests").array().notNull(),
  redirectUris: text("redirect_uris").array().notNull(),
  scopes: text("scopes").array().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- links and their tokens
export type LinkStatus = "pending" | "active" | "revoked";

/**
 * One link between a Swubase user and a partner account ("user_integration" in the partner's
 * workflow document). Every token is stored twice: an HMAC digest (indexed, for lookup) and an
 * authenticated ciphertext (so the same pair can be handed out again inside the refresh grace
 * window). Plaintext tokens are never stored.
 */
export const userIntegration = pgTable(
  "user_integration",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    clientId: text("client_id")
      .notNull()
      .references(() => partnerClient.clientId, { onDelete: "cascade" }),
    integration: text("integration").notNull(),
    externalUserId: text("external_user_id").notNull(),
    scopes: text("scopes").array().notNull(),
    redirectUri: text("redirect_uri").notNull(),
    status: text("status").$type<LinkStatus>().notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),

    linkTokenDigest: bytea("link_token_digest"),
    linkTokenCiphertext: text("link_token_ciphertext"),
    linkTokenExpiresAt: timestamp("link_token_expires_at", { withTimezone: true }),
    /** PKCE (RFC 7636) challenge of the authorization request, S256 only. */
    codeChallenge: text("code_challenge"),
    /** The link token after it was exchanged: a second exchange is code reuse (RFC 6749 §4.1.2). */
    usedLinkTokenDigest: bytea("used_link_token_digest"),

    /**
     * Carried by the link's access and refresh tokens (token-vault.ts): the only index a token
     * lookup uses. Set when the link becomes active and never changed or cleared afterwards, so a
     * rotation changes no indexed column (drizzle/0009). Not secret.
     */
    tokenLocator: text("token_locator"),
    accessTokenDigest: bytea("access_token_digest"),
    accessTokenCiphertext: text("access_token_ciphertext"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    previousAccessTokenDigest: bytea("previous_access_token_digest"),
    previousAccessTokenExpiresAt: timestamp("previous_access_token_expires_at", { withTimezone: true }),

    refreshTokenDigest: bytea("refresh_token_digest"),
    refreshTokenCiphertext: text("refresh_token_ciphertext"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    previousRefreshTokenDigest: bytea("previous_refresh_token_digest"),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),

    createdAt: createdAt(),
    linkedAt: timestamp("linked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [
    index("user_integration_user_idx").on(t.userId),
    // Only pending links hold a link token: active and revoked ones need no entry (drizzle/0006).
    uniqueIndex("user_integration_link_token_idx").on(t.linkTokenDigest).where(sql`link_token_digest is not null`),
    uniqueIndex("user_integration_used_link_token_idx").on(t.usedLinkTokenDigest),
    // Access and refresh tokens are found by their locator, then their digest is compared on that
    // row: the digest columns have no index, so rotating them is a HOT update (drizzle/0009).
    uniqueIndex("user_integration_token_locator_idx").on(t.tokenLocator),
    // Every link (any status) of a partner user: who owned a Karabast id when a game arrived
    // (the "not counted" list, drizzle/0010). Columns a rotation never changes, so it stays HOT.
    // The external user id leads: an index led by client_id would tempt generic plans of other
    // lookups (`client_id = $1`, e.g. the pending link-token lookup) into scanning a whole client.
    index("user_integration_external_client_idx").on(t.externalUserId, t.clientId),
    // One active link per side, and one pending approval per user and client.
    uniqueIndex("user_integration_active_external_idx")
      .on(t.clientId, t.externalUserId)
      .where(sql`status = 'active'`),
    uniqueIndex("user_integration_active_user_idx")
      .on(t.clientId, t.userId)
      .where(sql`status = 'active'`),
    uniqueIndex("user_integration_pending_user_idx")
      .on(t.clientId, t.userId)
      .where(sql`status = 'pending'`),
  ],
);

/**
 * The token pairs rotated away, one row per rotation. The refresh token's digest: presenting it
 * again is reuse (RFC 9700 §4.14.2). The access token issued with it stays valid until its own
 * expiry while the link is active (drizzle/0010): another game server may still hold it in its
 * cache. Rows are pruned once the refresh token they retired has expired (housekeeping).
 * `link_id` has no foreign key (its check locked the link row on every rotation): a trigger on
 * user_integration deletes a link's digests with the link (drizzle/0006).
 */
export const retiredRefreshToken = pgTable(
  "retired_refresh_token",
  {
    digest: bytea("digest").primaryKey(),
    linkId: text("link_id").notNull(),
    retiredAt: timestamp("retired_at", { withTimezone: true }).notNull(),
    /** The access token that was current when this refresh token rotated (null for rows from before drizzle/0010). */
    accessTokenDigest: bytea("access_token_digest"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
  },
  (t) => [index("retired_refresh_token_link_idx").on(t.linkId)],
);

// ---------------------------------------------------------------- games and statistics
export * from "./schema-games.js";

// ---------------------------------------------------------------- per-user card tallies (drizzle/0012)
export * from "./schema-stats.js";

// ---------------------------------------------------------------- public profiles and the meta
export * from "./schema-profile-meta.js";

// ---------------------------------------------------------------- audit log
export * from "./schema-audit.js";
