/**
 * SQL for links and their tokens. Each operation that a partner calls on a hot path is a single
 * statement (refresh rotation, access-token lookup, partner unlink); link confirmation is one
 * short transaction because it must retire older links before activating the new one.
 */
import { and, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { partnerClient, retiredRefreshToken, user, userIntegration, type LinkStatus } from "../db/schema.js";
import { rowsOf, toBuffer, toDate } from "./rows.js";

export type LinkRow = typeof userIntegration.$inferSelect;

/** The stored half of a freshly issued token pair. */
export interface StoredTokenPair {
  accessTokenDigest: Buffer;
  accessTokenCiphertext: string;
  accessTokenExpiresAt: Date;
  refreshTokenDigest: Buffer;
  refreshTokenCiphertext: string;
  refreshTokenExpiresAt: Date;
}

/** Columns that make every token of a link unusable. */
const TOKENS_CLEARED = {
  linkTokenDigest: null,
  linkTokenCiphertext: null,
  linkTokenExpiresAt: null,
  accessTokenDigest: null,
  accessTokenCiphertext: null,
  previousAccessTokenDigest: null,
  previousAccessTokenExpiresAt: null,
  refreshTokenDigest: null,
  refreshTokenCiphertext: null,
  previousRefreshTokenDigest: null,
} as const;

export interface RefreshLookup {
  id: string;
  userId: string;
  clientId: string;
  externalUserId: string;
  status: LinkStatus;
  isCurrent: boolean;
  isPrevious: boolean;
  rotatedAt: Date | null;
  scopes: string[];
  accessTokenCiphertext: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenCiphertext: string | null;
  refreshTokenExpiresAt: Date | null;
}

export function linkRepository(db: Db) {
  return {
    /** Creates the pending link, replacing this user's still-pending one for the client. */
    async upsertPending(row: {
      id: string;
      userId: string;
      clientId: string;
      integration: string;
      externalUserId: string;
      scopes: string[];
      redirectUri: string;
      metadata: Record<string, unknown>;
      linkTokenDigest: Buffer;
      linkTokenCiphertext: string;
      linkTokenExpiresAt: Date;
      codeChallenge: string | null;
      now: Date;
    }): Promise<void> {
      const { now, ...values } = row;
      const { id: _id, userId: _u, clientId: _c, ...replaced } = values;
      await db
        .insert(userIntegration)
        .values({ ...values, status: "pending", createdAt: now })
        .onConflictDoUpdate({
          target: [userIntegration.clientId, userIntegration.userId],
          targetWhere: sql`status = 'pending'`,
          set: { ...replaced, createdAt: now },
        });
    },

    /**
     * Consumes a link token atomically and activates its link with the given tokens. Only a
     * pending, unexpired link of this client and external user qualifies; the row lock makes
     * concurrent confirmations of one token serialise, and all but the first find nothing.
     * Older active links of the same external user or the same Swubase user (for this client)
     * are revoked first: one active link per side.
     */
    async activateWithLinkToken(input: {
      linkTokenDigest: Buffer;
      clientId: string;
      /** Checked when given (the Karabast front door always gives it). */
      externalUserId: string | null;
      /** Further checks on the pending link (redirect URI, PKCE); false leaves it untouched. */
      accept?: (pending: { redirectUri: string; codeChallenge: string | null }) => boolean;
      now: Date;
      tokens: StoredTokenPair;
    }): Promise<{ id: string; userId: string; scopes: string[] } | null> {
      return db.transaction(async (tx) => {
        const [pending] = await tx
          .select({
            id: userIntegration.id,
            userId: userIntegration.userId,
            externalUserId: userIntegration.externalUserId,
            redirectUri: userIntegration.redirectUri,
            codeChallenge: userIntegration.codeChallenge,
          })
          .from(userIntegration)
          .where(
            and(
              eq(userIntegration.linkTokenDigest, input.linkTokenDigest),
              eq(userIntegration.status, "pending"),
              eq(userIntegration.clientId, input.clientId),
              input.externalUserId === null ? undefined : eq(userIntegration.externalUserId, input.externalUserId),
              gt(userIntegration.linkTokenExpiresAt, input.now),
            ),
          )
          .for("update");
        if (!pending || (input.accept && !input.accept(pending))) return null;
        await tx
          .update(userIntegration)
          .set({ ...TOKENS_CLEARED, status: "revoked", revokedAt: input.now, revokedReason: "replaced" })
          .where(
            and(
              eq(userIntegration.clientId, input.clientId),
              eq(userIntegration.status, "active"),
              or(eq(userIntegration.externalUserId, pending.externalUserId), eq(userIntegration.userId, pending.userId)),
            ),
          );
        const [active] = await tx
          .update(userIntegration)
          .set({
            ...input.tokens,
            status: "active",
            linkTokenDigest: null,
            linkTokenCiphertext: null,
            linkTokenExpiresAt: null,
            usedLinkTokenDigest: input.linkTokenDigest,
            linkedAt: input.now,
            lastUsedAt: input.now,
          })
          .where(eq(userIntegration.id, pending.id))
          .returning({ id: userIntegration.id, userId: userIntegration.userId, scopes: userIntegration.scopes });
        return active ?? null;
      });
    },

    /**
     * Rotates a refresh token in one statement: the presented token must be the current one of
     * an active, unexpired link of this client and external user. The presented token becomes
     * "previous" (for the grace window) and is recorded as retired (for reuse detection); the
     * current access token stays valid as "previous access" until its own expiry.
     */
    async rotateRefreshToken(input: {
      refreshTokenDigest: Buffer;
      clientId: string;
      /** Checked when given (the Karabast front door always gives it). */
      externalUserId: string | null;
      now: Date;
      tokens: StoredTokenPair;
    }): Promise<{ id: string; userId: string; externalUserId: string; scopes: string[] } | null> {
      const t = input.tokens;
      // Raw SQL parameters are not mapped by column type: pass timestamps as ISO text.
      const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
      const result = await db.execute(sql`
        with rotated as (
          update user_integration set
            previous_refresh_token_digest = refresh_token_digest,
            previous_access_token_digest = access_token_digest,
            previous_access_token_expires_at = access_token_expires_at,
            access_token_digest = ${t.accessTokenDigest},
            access_token_ciphertext = ${t.accessTokenCiphertext},
            access_token_expires_at = ${ts(t.accessTokenExpiresAt)},
            refresh_token_digest = ${t.refreshTokenDigest},
            refresh_token_ciphertext = ${t.refreshTokenCiphertext},
            refresh_token_expires_at = ${ts(t.refreshTokenExpiresAt)},
            rotated_at = ${ts(input.now)},
            last_used_at = ${ts(input.now)}
          where refresh_token_digest = ${input.refreshTokenDigest}
            and client_id = ${input.clientId}
            and (${input.externalUserId}::text is null or external_user_id = ${input.externalUserId})
            and status = 'active'
            and refresh_token_expires_at > ${ts(input.now)}
          returning id, user_id, external_user_id, scopes
        ), retired as (
          insert into retired_refresh_token (digest, link_id, retired_at)
          select ${input.refreshTokenDigest}, id, ${ts(input.now)} from rotated
          on conflict do nothing
        )
        select id, user_id, external_user_id, scopes from rotated`);
      const [row] = rowsOf<{ id: string; user_id: string; external_user_id: string; scopes: string[] }>(result);
      return row ? { id: row.id, userId: row.user_id, externalUserId: row.external_user_id, scopes: row.scopes } : null;
    },

    /** Everything needed to decide what an unrotatable refresh token means (grace, reuse, expiry). */
    async findByAnyRefreshToken(digest: Buffer): Promise<RefreshLookup | null> {
      const [row] = await db
        .select({
          id: userIntegration.id,
          userId: userIntegration.userId,
          clientId: userIntegration.clientId,
          externalUserId: userIntegration.externalUserId,
          status: userIntegration.status,
          currentDigest: userIntegration.refreshTokenDigest,
          previousDigest: userIntegration.previousRefreshTokenDigest,
          rotatedAt: userIntegration.rotatedAt,
          scopes: userIntegration.scopes,
          accessTokenCiphertext: userIntegration.accessTokenCiphertext,
          accessTokenExpiresAt: userIntegration.accessTokenExpiresAt,
          refreshTokenCiphertext: userIntegration.refreshTokenCiphertext,
          refreshTokenExpiresAt: userIntegration.refreshTokenExpiresAt,
        })
        .from(userIntegration)
        .where(
          or(
            eq(userIntegration.refreshTokenDigest, digest),
            eq(userIntegration.previousRefreshTokenDigest, digest),
            inArray(
              userIntegration.id,
              db.select({ id: retiredRefreshToken.linkId }).from(retiredRefreshToken).where(eq(retiredRefreshToken.digest, digest)),
            ),
          ),
        )
        .limit(1);
      if (!row) return null;
      const { currentDigest, previousDigest, ...rest } = row;
      return {
        ...rest,
        isCurrent: toBuffer(currentDigest)?.equals(digest) ?? false,
        isPrevious: toBuffer(previousDigest)?.equals(digest) ?? false,
        rotatedAt: toDate(rest.rotatedAt),
      };
    },

    /** Revokes a link and clears every token it holds. Returns false if it was not active or pending. */
    async revoke(id: string, reason: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(userIntegration)
        .set({ ...TOKENS_CLEARED, status: "revoked", revokedAt: now, revokedReason: reason })
        .where(and(eq(userIntegration.id, id), inArray(userIntegration.status, ["active", "pending"])))
        .returning({ id: userIntegration.id });
      return rows.length === 1;
    },

    /** Partner-side unlink: revokes the client's active (and pending) links for an external user. */
    async revokeByExternalUser(clientId: string, externalUserId: string, now: Date): Promise<{ revoked: { id: string; userId: string; wasActive: boolean }[] }> {
      const rows = await db
        .update(userIntegration)
        .set({ ...TOKENS_CLEARED, status: "revoked", revokedAt: now, revokedReason: "unlinked_by_partner" })
        .where(
          and(
            eq(userIntegration.clientId, clientId),
            eq(userIntegration.externalUserId, externalUserId),
            inArray(userIntegration.status, ["active", "pending"]),
          ),
        )
        .returning({ id: userIntegration.id, userId: userIntegration.userId, linkedAt: userIntegration.linkedAt });
      return { revoked: rows.map((r) => ({ id: r.id, userId: r.userId, wasActive: r.linkedAt !== null })) };
    },

    /** User-side unlink: only the user's own link. */
    async revokeForUser(userId: string, id: string, now: Date): Promise<{ clientId: string; externalUserId: string } | null> {
      const rows = await db
        .update(userIntegration)
        .set({ ...TOKENS_CLEARED, status: "revoked", revokedAt: now, revokedReason: "unlinked_by_user" })
        .where(and(eq(userIntegration.id, id), eq(userIntegration.userId, userId), inArray(userIntegration.status, ["active", "pending"])))
        .returning({ clientId: userIntegration.clientId, externalUserId: userIntegration.externalUserId });
      return rows[0] ?? null;
    },

    /** The link whose link token was already exchanged with this digest (code reuse). */
    async findByUsedLinkToken(digest: Buffer): Promise<{ id: string; clientId: string } | null> {
      const [row] = await db
        .select({ id: userIntegration.id, clientId: userIntegration.clientId })
        .from(userIntegration)
        .where(eq(userIntegration.usedLinkTokenDigest, digest))
        .limit(1);
      return row ?? null;
    },

    /** A link by a current access or refresh token digest, with the user's public profile (introspection, userinfo). */
    async findByCurrentToken(digest: Buffer) {
      const [row] = await db
        .select({
          id: userIntegration.id,
          clientId: userIntegration.clientId,
          status: userIntegration.status,
          scopes: userIntegration.scopes,
          externalUserId: userIntegration.externalUserId,
          userId: userIntegration.userId,
          userName: user.name,
          userEmail: user.email,
          accessTokenDigest: userIntegration.accessTokenDigest,
          accessTokenExpiresAt: userIntegration.accessTokenExpiresAt,
          previousAccessTokenDigest: userIntegration.previousAccessTokenDigest,
          previousAccessTokenExpiresAt: userIntegration.previousAccessTokenExpiresAt,
          refreshTokenExpiresAt: userIntegration.refreshTokenExpiresAt,
          rotatedAt: userIntegration.rotatedAt,
          linkedAt: userIntegration.linkedAt,
        })
        .from(userIntegration)
        .innerJoin(user, eq(user.id, userIntegration.userId))
        .where(
          or(
            eq(userIntegration.accessTokenDigest, digest),
            eq(userIntegration.previousAccessTokenDigest, digest),
            eq(userIntegration.refreshTokenDigest, digest),
          ),
        )
        .limit(1);
      if (!row) return null;
      const { accessTokenDigest, previousAccessTokenDigest, ...rest } = row;
      const kind: "access" | "previous_access" | "refresh" = toBuffer(accessTokenDigest)?.equals(digest)
        ? "access"
        : toBuffer(previousAccessTokenDigest)?.equals(digest)
          ? "previous_access"
          : "refresh";
      return { ...rest, kind };
    },

    /**
     * The live links behind several access tokens of one client, in one statement. `last_used_at`
     * is written at most once a minute per link, so a steady stream of game results mostly reads.
     */
    async useAccessTokens(digests: Buffer[], clientId: string, now: Date) {
      if (digests.length === 0) return [];
      const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
      const list = sql.join(digests.map((d) => sql`${d}`), sql`, `);
      const result = await db.execute(sql`
        with hit as (
          select id, user_id, external_user_id, scopes, access_token_digest, previous_access_token_digest, last_used_at
          from user_integration
          where client_id = ${clientId} and status = 'active' and (
            (access_token_digest in (${list}) and access_token_expires_at > ${ts(now)})
            or (previous_access_token_digest in (${list}) and previous_access_token_expires_at > ${ts(now)}))
        ), touched as (
          update user_integration u set last_used_at = ${ts(now)} from hit
          where u.id = hit.id and (hit.last_used_at is null or hit.last_used_at < ${ts(now)} - interval '60 seconds')
        )
        select id, user_id, external_user_id, scopes, access_token_digest, previous_access_token_digest from hit`);
      return rowsOf<{
        id: string;
        user_id: string;
        external_user_id: string;
        scopes: string[];
        access_token_digest: Buffer | Uint8Array | null;
        previous_access_token_digest: Buffer | Uint8Array | null;
      }>(result).map((r) => ({
        id: r.id,
        userId: r.user_id,
        externalUserId: r.external_user_id,
        scopes: r.scopes,
        digests: [toBuffer(r.access_token_digest), toBuffer(r.previous_access_token_digest)].filter((d): d is Buffer => d !== null),
      }));
    },

    listForUser(userId: string) {
      return db
        .select({
          id: userIntegration.id,
          clientId: userIntegration.clientId,
          clientName: partnerClient.name,
          integration: userIntegration.integration,
          externalUserId: userIntegration.externalUserId,
          scopes: userIntegration.scopes,
          status: userIntegration.status,
          createdAt: userIntegration.createdAt,
          linkedAt: userIntegration.linkedAt,
          lastUsedAt: userIntegration.lastUsedAt,
          revokedAt: userIntegration.revokedAt,
        })
        .from(userIntegration)
        .innerJoin(partnerClient, eq(partnerClient.clientId, userIntegration.clientId))
        .where(eq(userIntegration.userId, userId))
        .orderBy(desc(userIntegration.createdAt))
        .limit(100);
    },

    /** Rows holding ciphertexts, for re-encryption under a new key (batched by id). */
    async ciphertextBatch(afterId: string, limit: number) {
      return db
        .select({
          id: userIntegration.id,
          linkTokenCiphertext: userIntegration.linkTokenCiphertext,
          accessTokenCiphertext: userIntegration.accessTokenCiphertext,
          refreshTokenCiphertext: userIntegration.refreshTokenCiphertext,
        })
        .from(userIntegration)
        .where(gt(userIntegration.id, afterId))
        .orderBy(userIntegration.id)
        .limit(limit);
    },

    /** Replaces a ciphertext only if it is still the value that was read (a rotation may have happened since). */
    async replaceCiphertext(
      id: string,
      column: "linkTokenCiphertext" | "accessTokenCiphertext" | "refreshTokenCiphertext",
      expected: string,
      replacement: string,
    ): Promise<boolean> {
      const rows = await db
        .update(userIntegration)
        .set({ [column]: replacement })
        .where(and(eq(userIntegration.id, id), eq(userIntegration[column], expected)))
        .returning({ id: userIntegration.id });
      return rows.length === 1;
    },
  };
}

export type LinkRepository = ReturnType<typeof linkRepository>;
