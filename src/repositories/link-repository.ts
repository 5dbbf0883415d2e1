/**
 * SQL for links and their tokens. Each operation that a partner calls on a hot path is a single
 * statement (link confirmation, refresh rotation, access-token lookup, partner unlink): round
 * trips and commits dominate their cost, so the audit event of a confirmation or a rotation is
 * written by the same statement (data-modifying CTEs). With batching (DATABASE_BATCHING), the
 * confirmations and rotations of concurrent requests share one statement (src/repositories/batching).
 */
import { and, desc, eq, exists, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { partnerClient, retiredRefreshToken, user, userIntegration, type LinkStatus, type StatementEvent } from "../db/schema.js";
import { activateWithLinkTokens, activationRecord, type ActivationRecordInput } from "./batching/activate-links.js";
import { createBatcher, DEFER, type BatchingOptions } from "./batching/adaptive-batcher.js";
import { batchParams } from "./batching/batch-input.js";
import { ROTATE_REFRESH_TOKENS, rotationRecord, type RotationRecordInput } from "./batching/rotate-refresh-tokens.js";
import { placeholder as p, prebuildStatement, timestampPlaceholder as pts } from "./prebuilt-statement.js";
import { presentedLocator } from "./presented-locator.js";
import { rowsOf, toBuffer, toDate } from "./rows.js";

/** The stored half of a freshly issued token pair. */
export interface StoredTokenPair {
  /** The link's locator, which both tokens carry (set at activation, unchanged by rotations). */
  locator: string;
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

/** The same columns for raw statements. */
const TOKENS_CLEARED_SQL = sql.raw(
  Object.keys(TOKENS_CLEARED)
    .map((key) => `${userIntegration[key as keyof typeof TOKENS_CLEARED].name} = null`)
    .join(", "),
);

/**
 * The SET list that stores a new token pair (placeholders; values from `tokenPairParams`). A
 * rotation sets the locator the row already has, which PostgreSQL does not count as a change of
 * an indexed column (the update stays HOT); only a token from before locators gets one here.
 */
const SET_TOKEN_PAIR = sql`
    token_locator = ${p("tokenLocator")},
    access_token_digest = ${p("accessTokenDigest")},
    access_token_ciphertext = ${p("accessTokenCiphertext")},
    access_token_expires_at = ${pts("accessTokenExpiresAt")},
    refresh_token_digest = ${p("refreshTokenDigest")},
    refresh_token_ciphertext = ${p("refreshTokenCiphertext")},
    refresh_token_expires_at = ${pts("refreshTokenExpiresAt")}`;

function tokenPairParams(t: StoredTokenPair) {
  return {
    tokenLocator: t.locator,
    accessTokenDigest: t.accessTokenDigest,
    accessTokenCiphertext: t.accessTokenCiphertext,
    accessTokenExpiresAt: t.accessTokenExpiresAt.toISOString(),
    refreshTokenDigest: t.refreshTokenDigest,
    refreshTokenCiphertext: t.refreshTokenCiphertext,
    refreshTokenExpiresAt: t.refreshTokenExpiresAt.toISOString(),
  };
}

/**
 * `insert into link_event … select … from <cte>`: the event of the rows a CTE changed (user and
 * link ids from the row; placeholders, values from `eventParams`).
 */
function insertEvent(from: SQL, externalUserId: SQL): SQL {
  return sql`
    insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
    select ${p("eventId")}::text, ${pts("eventAt")}, ${p("event")}::text, user_id, ${p("clientId")}::text, ${externalUserId}, id,
      ${p("eventIp")}::text, ${p("eventUserAgent")}::text, ${p("eventDetail")}::text
    from ${from}`;
}

function eventParams(e: StatementEvent) {
  return { eventId: e.id, eventAt: e.at.toISOString(), event: e.event, eventIp: e.ip, eventUserAgent: e.userAgent, eventDetail: e.detail };
}

/**
 * Step 5 in ONE statement (one round trip, one commit), which also writes the event:
 * - `pending` finds the pending, unexpired link of this link token and client (and external
 *   user, redirect URI and PKCE challenge when given) and locks it: concurrent confirmations
 *   of one token serialise on that lock, and all but the first find it no longer pending;
 * - `replaced` revokes the client's other active links of the same external user or the same
 *   Swubase user: one active link per side; `replaced_event` tells each replaced link's owner;
 * - `activated` must run after `replaced` or the "one active link" unique indexes refuse it:
 *   reading `replaced` in its WHERE (an InitPlan) makes PostgreSQL run `replaced` first.
 */
const ACTIVATE_WITH_LINK_TOKEN = sql`
  with pending as (
    select id, user_id, external_user_id from user_integration
    where link_token_digest = ${p("linkTokenDigest")}
      and status = 'pending'
      and client_id = ${p("clientId")}
      and (${p("externalUserId")}::text is null or external_user_id = ${p("externalUserId")})
      and (${p("redirectUri")}::text is null or redirect_uri = ${p("redirectUri")})
      and code_challenge is not distinct from ${p("verifierChallenge")}::text
      and link_token_expires_at > ${pts("now")}
    for update
  ), replaced as (
    update user_integration u set ${TOKENS_CLEARED_SQL},
      status = 'revoked', revoked_at = ${pts("now")}, revoked_reason = 'replaced'
    from pending p
    where u.client_id = ${p("clientId")} and u.status = 'active'
      and (u.external_user_id = p.external_user_id or u.user_id = p.user_id)
    returning u.id, u.user_id, u.external_user_id, p.user_id as new_user_id
  ), replaced_event as (
    -- The owner of every replaced link sees it in their activity; when another Swubase account took
    -- their partner id, that may be link-token injection (RFC 9700 §4.5) and they must know.
    insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
    select ${p("eventId")}::text || '-replaced-' || r.id, ${pts("eventAt")}, 'link_replaced', r.user_id, ${p("clientId")}::text,
      r.external_user_id, r.id, ${p("eventIp")}::text, ${p("eventUserAgent")}::text,
      case when r.user_id = r.new_user_id then 'replaced by your newer link'
           else 'another Swubase account linked this partner account: its games now go there. If that was not you, unlink on the partner and link again' end
    from replaced r
  ), activated as (
    update user_integration u set
      ${SET_TOKEN_PAIR},
      status = 'active',
      link_token_digest = null, link_token_ciphertext = null, link_token_expires_at = null,
      used_link_token_digest = ${p("linkTokenDigest")},
      linked_at = ${pts("now")},
      last_used_at = ${pts("now")}
    from pending p
    where u.id = p.id and (select count(*) from replaced) >= 0
    returning u.id, u.user_id, u.scopes
  ), event as (
    ${insertEvent(sql`activated`, sql`${p("externalUserId")}::text`)}
  )
  select id, user_id, scopes from activated`;

/**
 * A refresh rotation in ONE statement, which also writes the event: the presented token must be
 * the current one (its digest, on the row its locator finds) of an active, unexpired link of
 * this client (and external user, and holding every scope asked for, RFC 6749 §6). The presented
 * token becomes "previous" (for the grace window) and is recorded as retired (for reuse
 * detection) together with the access token issued with it: that one stays valid until its own
 * expiry (as "previous access", and in the retired row after further rotations), since another
 * game server of the partner may still hold it in its cache.
 */
const ROTATE_REFRESH_TOKEN = sql`
  with rotated as (
    update user_integration set
      previous_refresh_token_digest = refresh_token_digest,
      previous_access_token_digest = access_token_digest,
      previous_access_token_expires_at = access_token_expires_at,
      ${SET_TOKEN_PAIR},
      rotated_at = ${pts("now")},
      last_used_at = ${pts("now")}
    where token_locator = ${presentedLocator(p("locator"), p("clientId"), p("externalUserId"))}
      and refresh_token_digest = ${p("presentedDigest")}
      and client_id = ${p("clientId")}
      and (${p("externalUserId")}::text is null or external_user_id = ${p("externalUserId")})
      and (${p("requiredScopes")}::text is null or scopes @> string_to_array(${p("requiredScopes")}::text, ' '))
      and status = 'active'
      and refresh_token_expires_at > ${pts("now")}
    returning id, user_id, external_user_id, scopes, previous_access_token_digest, previous_access_token_expires_at
  ), retired as (
    insert into retired_refresh_token (digest, link_id, retired_at, access_token_digest, access_token_expires_at)
    select ${p("presentedDigest")}, id, ${pts("now")}, previous_access_token_digest, previous_access_token_expires_at from rotated
    on conflict do nothing
  ), event as (
    ${insertEvent(sql`rotated`, sql`external_user_id`)}
  )
  select id, user_id, external_user_id, scopes from rotated`;

/** PostgreSQL's unique_violation, from postgres.js or PGlite, possibly wrapped by drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}

export interface RefreshLookup {
  id: string;
  userId: string;
  clientId: string;
  externalUserId: string;
  status: LinkStatus;
  isCurrent: boolean;
  isPrevious: boolean;
  /** The link's current refresh digest when read (`revoke` can require it unchanged). */
  currentRefreshDigest: Buffer | null;
  rotatedAt: Date | null;
  scopes: string[];
  accessTokenCiphertext: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenCiphertext: string | null;
  refreshTokenExpiresAt: Date | null;
}

/** The link a used link token activated (`findByUsedLinkToken`). */
export interface UsedLinkTokenLookup {
  id: string;
  userId: string;
  clientId: string;
  externalUserId: string;
  status: LinkStatus;
  linkedAt: Date | null;
  codeChallenge: string | null;
  scopes: string[];
  accessTokenCiphertext: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenCiphertext: string | null;
  refreshTokenExpiresAt: Date | null;
}

/** A link a link token activated (`activateWithLinkToken`). */
export interface ActivatedLink {
  id: string;
  userId: string;
  scopes: string[];
}

/** A rotated link (`rotateRefreshToken`). */
export interface RotatedLink {
  id: string;
  userId: string;
  externalUserId: string;
  scopes: string[];
}

type RotatedRow = { id: string; user_id: string; external_user_id: string; scopes: string[] };
const rotatedLink = (row: RotatedRow): RotatedLink => ({ id: row.id, userId: row.user_id, externalUserId: row.external_user_id, scopes: row.scopes });

/** `batching`: group commit of the hot partner writes (src/repositories/batching); null sends each alone. */
export function linkRepository(db: Db, options: { batching?: BatchingOptions | null } = {}) {
  const activate = prebuildStatement(db, ACTIVATE_WITH_LINK_TOKEN);
  const rotate = prebuildStatement(db, ROTATE_REFRESH_TOKEN);
  const rotateMany = prebuildStatement(db, ROTATE_REFRESH_TOKENS);
  const activateMany = prebuildStatement(db, activateWithLinkTokens(TOKENS_CLEARED_SQL));

  /**
   * Step 5 (`ACTIVATE_WITH_LINK_TOKEN`). A concurrent confirmation for the same person can
   * commit an active link this statement's snapshot cannot see; the unique index then refuses
   * ours (23505) and one retry, with a fresh snapshot, replaces that link like any older one.
   */
  async function activateOne(input: ActivationRecordInput): Promise<ActivatedLink | null> {
    const params = {
      linkTokenDigest: input.linkTokenDigest,
      clientId: input.clientId,
      externalUserId: input.externalUserId,
      redirectUri: input.redirectUri,
      verifierChallenge: input.verifierChallenge,
      now: input.now.toISOString(),
      ...tokenPairParams(input.tokens),
      ...eventParams(input.event),
    };
    let result: unknown;
    try {
      result = await activate.execute(params);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      result = await activate.execute(params);
    }
    const [row] = rowsOf<{ id: string; user_id: string; scopes: string[] }>(result);
    return row ? { id: row.id, userId: row.user_id, scopes: row.scopes } : null;
  }

  const activations = options.batching
    ? createBatcher<ActivationRecordInput, ActivatedLink | null>({
        ...options.batching,
        // Two confirmations of one link token never share a batch: the later finds it used.
        key: (input) => input.linkTokenDigest.toString("base64"),
        one: activateOne,
        async many(inputs) {
          const rows = rowsOf<{ ord: number; id: string | null; user_id: string | null; scopes: string[] | null; deferred: boolean }>(
            await activateMany.execute(batchParams(inputs.map((m, ord) => activationRecord(ord, m)))),
          );
          const answers: (ActivatedLink | null | typeof DEFER)[] = inputs.map(() => null);
          for (const row of rows) answers[row.ord] = row.deferred ? DEFER : { id: row.id!, userId: row.user_id!, scopes: row.scopes! };
          return answers;
        },
      })
    : null;

  async function rotateOne(input: RotationRecordInput): Promise<RotatedLink | null> {
    const result = await rotate.execute({
      locator: input.locator,
      presentedDigest: input.refreshTokenDigest,
      clientId: input.clientId,
      externalUserId: input.externalUserId,
      requiredScopes: input.requiredScopes,
      now: input.now.toISOString(),
      ...tokenPairParams(input.tokens),
      ...eventParams(input.event),
    });
    const [row] = rowsOf<RotatedRow>(result);
    return row ? rotatedLink(row) : null;
  }

  const rotations = options.batching
    ? createBatcher<RotationRecordInput, RotatedLink | null>({
        ...options.batching,
        // Two presentations of one token never share a batch: the later sees the first rotation.
        key: (input) => input.refreshTokenDigest.toString("base64"),
        one: rotateOne,
        async many(inputs) {
          const rows = rowsOf<RotatedRow & { ord: number }>(await rotateMany.execute(batchParams(inputs.map((m, ord) => rotationRecord(ord, m)))));
          const answers: (RotatedLink | null)[] = inputs.map(() => null);
          for (const row of rows) answers[row.ord] = rotatedLink(row);
          return answers;
        },
      })
    : null;

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

    /** Step 5 (`ACTIVATE_WITH_LINK_TOKEN`); null when the link token is not pending for this client (and user). */
    activateWithLinkToken(input: ActivationRecordInput): Promise<ActivatedLink | null> {
      return activations ? activations.submit(input) : activateOne(input);
    },

    /** A refresh rotation (`ROTATE_REFRESH_TOKEN`); null when the token is not current, or the link not usable. */
    async rotateRefreshToken(input: {
      /** The presented token's locator; null for a token without one (found through the external user). */
      locator: string | null;
      refreshTokenDigest: Buffer;
      clientId: string;
      /** Checked when given (the Karabast front door always gives it). */
      externalUserId: string | null;
      /** Scopes the link must hold, when the request names some (the OAuth refresh grant). */
      requiredScopes: string[] | null;
      now: Date;
      tokens: StoredTokenPair;
      event: StatementEvent;
    }): Promise<RotatedLink | null> {
      const required = input.requiredScopes && input.requiredScopes.length > 0 ? input.requiredScopes.join(" ") : null;
      const member = { ...input, requiredScopes: required };
      return rotations ? rotations.submit(member) : rotateOne(member);
    },

    /**
     * Everything needed to decide what an unrotatable refresh token means (grace, reuse, expiry):
     * the link its locator finds (`presentedLocator`), if the token is that link's current,
     * previous or a retired refresh token.
     */
    async findByAnyRefreshToken(input: { locator: string | null; digest: Buffer; clientId: string; externalUserId: string | null }): Promise<RefreshLookup | null> {
      const { digest } = input;
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
          and(
            eq(userIntegration.tokenLocator, presentedLocator(input.locator, input.clientId, input.externalUserId)),
            or(
              eq(userIntegration.refreshTokenDigest, digest),
              eq(userIntegration.previousRefreshTokenDigest, digest),
              exists(db.select({ one: sql`1` }).from(retiredRefreshToken).where(and(eq(retiredRefreshToken.digest, digest), eq(retiredRefreshToken.linkId, userIntegration.id)))),
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
        currentRefreshDigest: toBuffer(currentDigest),
        rotatedAt: toDate(rest.rotatedAt),
      };
    },

    /**
     * Revokes a link and clears every token it holds. Returns false if it was not active or
     * pending, or, given `unlessRotatedFrom`, if its current refresh digest is no longer that one.
     */
    async revoke(id: string, reason: string, now: Date, unlessRotatedFrom?: Buffer | null): Promise<boolean> {
      const unrotated = unlessRotatedFrom === undefined ? undefined : sql`${userIntegration.refreshTokenDigest} is not distinct from ${unlessRotatedFrom}`;
      const rows = await db
        .update(userIntegration)
        .set({ ...TOKENS_CLEARED, status: "revoked", revokedAt: now, revokedReason: reason })
        .where(and(eq(userIntegration.id, id), inArray(userIntegration.status, ["active", "pending"]), unrotated))
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

    /**
     * The link whose link token was already exchanged with this digest, with what a reuse of it is
     * decided on (`decideLinkTokenReuse`): a callback loaded again gets the link's current pair
     * back; code reuse revokes the link.
     */
    async findByUsedLinkToken(digest: Buffer): Promise<UsedLinkTokenLookup | null> {
      const [row] = await db
        .select({
          id: userIntegration.id,
          userId: userIntegration.userId,
          clientId: userIntegration.clientId,
          externalUserId: userIntegration.externalUserId,
          status: userIntegration.status,
          linkedAt: userIntegration.linkedAt,
          codeChallenge: userIntegration.codeChallenge,
          scopes: userIntegration.scopes,
          accessTokenCiphertext: userIntegration.accessTokenCiphertext,
          accessTokenExpiresAt: userIntegration.accessTokenExpiresAt,
          refreshTokenCiphertext: userIntegration.refreshTokenCiphertext,
          refreshTokenExpiresAt: userIntegration.refreshTokenExpiresAt,
        })
        .from(userIntegration)
        .where(eq(userIntegration.usedLinkTokenDigest, digest))
        .limit(1);
      return row ?? null;
    },

    /**
     * A link by the locator and digest of one of its access tokens (current, previous, or one
     * rotated away since: every access token lives until its own expiry) or its current refresh
     * token, with the user's public profile (introspection, userinfo).
     */
    async findByCurrentToken(locator: string, digest: Buffer) {
      const retiredAccess = db
        .select({ expiresAt: retiredRefreshToken.accessTokenExpiresAt })
        .from(retiredRefreshToken)
        .where(and(eq(retiredRefreshToken.linkId, userIntegration.id), eq(retiredRefreshToken.accessTokenDigest, digest)))
        .limit(1);
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
          refreshTokenDigest: userIntegration.refreshTokenDigest,
          refreshTokenExpiresAt: userIntegration.refreshTokenExpiresAt,
          rotatedAt: userIntegration.rotatedAt,
          linkedAt: userIntegration.linkedAt,
          // Looked up only for a token that is none of the row's own.
          retiredAccessTokenExpiresAt: sql<Date | string | null>`case
            when ${digest} in (${userIntegration.accessTokenDigest}, ${userIntegration.previousAccessTokenDigest}, ${userIntegration.refreshTokenDigest}) then null
            else (${retiredAccess}) end`,
        })
        .from(userIntegration)
        .innerJoin(user, eq(user.id, userIntegration.userId))
        .where(eq(userIntegration.tokenLocator, locator))
        .limit(1);
      if (!row) return null;
      const { accessTokenDigest, previousAccessTokenDigest, refreshTokenDigest, retiredAccessTokenExpiresAt, ...rest } = row;
      const kind: "access" | "previous_access" | "refresh" | "retired_access" | null = toBuffer(accessTokenDigest)?.equals(digest)
        ? "access"
        : toBuffer(previousAccessTokenDigest)?.equals(digest)
          ? "previous_access"
          : toBuffer(refreshTokenDigest)?.equals(digest)
            ? "refresh"
            : retiredAccessTokenExpiresAt !== null
              ? "retired_access"
              : null;
      if (kind === null) return null;
      return { ...rest, kind, retiredAccessTokenExpiresAt: toDate(retiredAccessTokenExpiresAt) };
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
