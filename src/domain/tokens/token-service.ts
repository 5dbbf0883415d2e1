/**
 * One token service for every front door (Karabast's link-confirm and refresh-token, and the
 * standard OAuth token endpoint): it issues, rotates and checks access and refresh tokens.
 */
import type { Config } from "../../config.js";
import type { LinkRepository, RefreshLookup, StoredTokenPair } from "../../repositories/link-repository.js";
import type { Client } from "../clients/client-service.js";
import { invalidGrant, OAuthError } from "../errors.js";
import { createHash } from "node:crypto";
import { statementEvent, type AuditLog, type RequestContext } from "../audit/audit-log.js";
import { silentObserver, type DomainObserver } from "../observer.js";
import { accessTokenCutoff } from "./access-token-leeway.js";
import { decideLinkTokenReuse, type LinkTokenReuseRequest } from "./link-token-reuse.js";
import { generateToken, newTokenLocator, TokenDecryptionError, tokenLocator, type TokenVault } from "./token-vault.js";

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token_expires_in: number;
  scope: string;
}

const NO_CONTEXT: RequestContext = { ip: null, userAgent: null };

export interface TokenServiceDeps {
  audit: AuditLog;
  /** PUBLIC_URL: the `iss` of introspection answers. */
  issuer: string;
  links: LinkRepository;
  vault: TokenVault;
  tokens: Config["tokens"];
  clock: () => Date;
  /** Told of rotations, grace answers and reuse (metrics); silent by default. */
  observer?: DomainObserver;
}

/**
 * RFC 7636 §4.6: the challenge a code verifier stands for, BASE64URL(SHA256(verifier)), which
 * must equal the stored one; no verifier stands for no challenge (null). A malformed verifier
 * (§4.1: 43–128 unreserved characters) stands for "" (no stored challenge is empty).
 */
function verifierChallenge(verifier: string | null): string | null {
  if (verifier === null) return null;
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return "";
  return createHash("sha256").update(verifier).digest("base64url");
}

const anyTokenLocator = (token: string) => tokenLocator("access", token) ?? tokenLocator("refresh", token);

const secondsUntil = (at: Date, now: Date) => Math.max(0, Math.floor((at.getTime() - now.getTime()) / 1000));

export function createTokenService(deps: TokenServiceDeps) {
  const { links, vault, tokens, clock } = deps;
  const observer = deps.observer ?? silentObserver;

  /**
   * A new access/refresh pair carrying the link's locator (a new one for a new link): plaintext
   * for the response, digests and ciphertexts for storage.
   */
  function issueTokenPair(now: Date, locator: string): { response: Omit<TokenResponse, "scope">; stored: StoredTokenPair } {
    const access = generateToken("access", locator);
    const refresh = generateToken("refresh", locator);
    const accessTokenExpiresAt = new Date(now.getTime() + tokens.accessTokenTtlSeconds * 1000);
    const refreshTokenExpiresAt = new Date(now.getTime() + tokens.refreshTokenTtlSeconds * 1000);
    return {
      response: {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: tokens.accessTokenTtlSeconds,
        refresh_token_expires_in: tokens.refreshTokenTtlSeconds,
      },
      stored: {
        locator,
        accessTokenDigest: vault.digest(access),
        accessTokenCiphertext: vault.encrypt(access),
        accessTokenExpiresAt,
        refreshTokenDigest: vault.digest(refresh),
        refreshTokenCiphertext: vault.encrypt(refresh),
        refreshTokenExpiresAt,
      },
    };
  }

  /**
   * A live token of an active link, with the expiry that applies to it: any access token issued
   * for the link (however many rotations ago) until its own expiry plus the clock leeway, or the
   * current refresh token. Only tokens with a locator: these calls (introspection, revocation,
   * userinfo) name no external user.
   */
  async function liveToken(token: string, now: Date) {
    const locator = anyTokenLocator(token);
    if (!locator) return null;
    const found = await links.findByCurrentToken(locator, vault.digest(token));
    if (!found || found.status !== "active") return null;
    const { kind } = found;
    const expiresAt =
      kind === "access"
        ? found.accessTokenExpiresAt
        : kind === "previous_access"
          ? found.previousAccessTokenExpiresAt
          : kind === "retired_access"
            ? found.retiredAccessTokenExpiresAt
            : found.refreshTokenExpiresAt;
    const cutoff = kind === "refresh" ? now : accessTokenCutoff(now);
    if (!expiresAt || expiresAt <= cutoff) return null;
    return { ...found, expiresAt };
  }

  /**
   * The link's current pair as stored (the grace answer and the reloaded callback's answer), with
   * the lifetimes left; null when a stored value fails its authentication tag: it was tampered
   * with, so nothing is handed out.
   */
  function storedPair(
    link: { accessTokenCiphertext: string | null; refreshTokenCiphertext: string | null; accessTokenExpiresAt: Date | null; refreshTokenExpiresAt: Date | null; scopes: string[] },
    now: Date,
  ): TokenResponse | null {
    let access: string, refresh: string;
    try {
      access = vault.decrypt(link.accessTokenCiphertext!);
      refresh = vault.decrypt(link.refreshTokenCiphertext!);
    } catch (err) {
      if (err instanceof TokenDecryptionError) return null;
      throw err;
    }
    return {
      access_token: access,
      refresh_token: refresh,
      token_type: "Bearer",
      expires_in: secondsUntil(link.accessTokenExpiresAt!, now),
      refresh_token_expires_in: secondsUntil(link.refreshTokenExpiresAt!, now),
      scope: link.scopes.join(" "),
    };
  }

  const service = {
    issueTokenPair,

    /**
     * Step 5 of the workflow (and the authorization_code grant): a single-use link token becomes
     * the link's first token pair. The Karabast door names the external user; the OAuth door
     * names the redirect URI instead (RFC 6749 §4.1.3). A PKCE verifier is required exactly when
     * the authorization request carried a challenge (RFC 7636 §4.6). A token presented again is
     * decided by `decideLinkTokenReuse`: on the Karabast door (`grant` "link_token", the default)
     * the callback loaded again gets the link's current pair; a code presented again by its
     * client otherwise revokes what it issued (RFC 6749 §4.1.2).
     */
    async consumeLinkToken(input: {
      client: Client;
      linkToken: string;
      externalUserId: string | null;
      redirectUri?: string | null;
      codeVerifier?: string | null;
      grant?: LinkTokenReuseRequest["grant"];
      context?: RequestContext;
    }): Promise<TokenResponse> {
      const context = input.context ?? NO_CONTEXT;
      const now = clock();
      const pair = issueTokenPair(now, newTokenLocator());
      const digest = vault.digest(input.linkToken);
      const challenge = verifierChallenge(input.codeVerifier ?? null);
      const link = await links.activateWithLinkToken({
        linkTokenDigest: digest,
        clientId: input.client.clientId,
        externalUserId: input.externalUserId,
        redirectUri: input.redirectUri ?? null,
        verifierChallenge: challenge,
        now,
        tokens: pair.stored,
        event: statementEvent("link_confirmed", context, now),
      });
      if (link) return { ...pair.response, scope: link.scopes.join(" ") };

      // Not a pending link token of this client (and user): used already (maybe by a confirmation
      // that held its row lock a moment ago), or never usable here.
      const grant = input.grant ?? "link_token";
      const clientId = input.client.clientId;
      const used = await links.findByUsedLinkToken(digest);
      const decision = decideLinkTokenReuse(used, { grant, clientId, externalUserId: input.externalUserId, verifierChallenge: challenge, now });
      const mine = used !== null && used.clientId === clientId;
      const reject = async (detail: string) => {
        await deps.audit.record(
          { event: "token_rejected", userId: mine ? used.userId : null, clientId, externalUserId: input.externalUserId, linkId: mine ? used.id : null, detail },
          context,
        );
        return invalidGrant(grant === "authorization_code" ? "authorization code" : "link token");
      };
      if (decision.action === "retry") {
        const retry = used!;
        const pair = storedPair(retry, now);
        if (!pair) throw await reject("stored token failed its integrity check");
        await deps.audit.record(
          { event: "link_confirmed", userId: retry.userId, clientId, externalUserId: retry.externalUserId, linkId: retry.id, detail: "callback loaded again: same pair" },
          context,
        );
        return pair;
      }
      if (decision.action === "revoke") {
        await links.revoke(used!.id, grant === "authorization_code" ? "authorization_code_reuse" : "link_token_reuse", now);
        observer.reuseDetected(grant === "authorization_code" ? "authorization_code" : "link_token");
      }
      throw await reject(decision.detail);
    },

    /**
     * Refresh with rotation (RFC 9700 §4.14.2). The current refresh token rotates. The previous
     * one, presented again within the grace window and before the newer token was itself used,
     * gets the same current pair back (concurrent refreshes and crash-retries of the deployed
     * client). Any other replay of a rotated token is reuse: the link is revoked. `scope`, when
     * given (the OAuth refresh grant), must not exceed what was granted (RFC 6749 §6): asking for
     * more is `invalid_scope`, and nothing rotates.
     */
    async rotateRefreshToken(input: {
      client: Client;
      refreshToken: string;
      externalUserId: string | null;
      scope?: string[] | null;
      context?: RequestContext;
    }): Promise<TokenResponse> {
      const context = input.context ?? NO_CONTEXT;
      const now = clock();
      const digest = vault.digest(input.refreshToken);
      // Without a locator (a token issued before drizzle/0009, or not a token at all) the link is
      // the one of the external user the request names, and gets the new pair's new locator.
      const presented = tokenLocator("refresh", input.refreshToken);
      const pair = issueTokenPair(now, presented ?? newTokenLocator());
      const requested = input.scope && input.scope.length > 0 ? input.scope : null;
      const rotated = await links.rotateRefreshToken({
        locator: presented,
        refreshTokenDigest: digest,
        clientId: input.client.clientId,
        externalUserId: input.externalUserId,
        requiredScopes: requested,
        now,
        tokens: pair.stored,
        event: statementEvent("token_refreshed", context, now),
      });
      const clientId = input.client.clientId;
      if (rotated) {
        observer.refreshRotated();
        return { ...pair.response, scope: rotated.scopes.join(" ") };
      }

      // Slow path: the token is not the current one of a usable link. Find out why.
      const found = await links.findByAnyRefreshToken({ locator: presented, digest, clientId: input.client.clientId, externalUserId: input.externalUserId });
      const reject = async (detail: string) => {
        const mine = found && found.clientId === clientId;
        await deps.audit.record(
          { event: "token_rejected", userId: mine ? found.userId : null, clientId, externalUserId: input.externalUserId, linkId: mine ? found.id : null, detail },
          context,
        );
        return invalidGrant("refresh token");
      };
      const rejectScope = async (link: RefreshLookup) => {
        await deps.audit.record(
          { event: "token_rejected", userId: link.userId, clientId, externalUserId: link.externalUserId, linkId: link.id, detail: "scope beyond the grant: nothing rotated" },
          context,
        );
        return new OAuthError("invalid_scope", "A refresh cannot add scopes");
      };
      if (!found) throw await reject("refresh token unknown");
      if (found.status !== "active") throw await reject("link revoked");
      if (found.clientId !== clientId) throw await reject("refresh token of another client");
      if (input.externalUserId !== null && found.externalUserId !== input.externalUserId) throw await reject("refresh token of another external user");
      const exceedsGrant = requested !== null && requested.some((scope) => !found.scopes.includes(scope));
      const currentAndLive = found.isCurrent && found.refreshTokenExpiresAt !== null && found.refreshTokenExpiresAt > now;
      if (currentAndLive && exceedsGrant) throw await rejectScope(found);
      if (found.isCurrent) throw await reject("refresh token expired");

      const inGrace =
        found.isPrevious &&
        found.rotatedAt !== null &&
        now.getTime() - found.rotatedAt.getTime() <= deps.tokens.refreshGraceSeconds * 1000 &&
        found.accessTokenCiphertext !== null &&
        found.refreshTokenCiphertext !== null &&
        found.accessTokenExpiresAt !== null &&
        found.refreshTokenExpiresAt !== null &&
        found.refreshTokenExpiresAt > now;
      if (inGrace) {
        if (exceedsGrant) throw await rejectScope(found);
        const pair = storedPair(found, now);
        if (!pair) throw await reject("stored token failed its integrity check");
        await deps.audit.record({ event: "token_refreshed", userId: found.userId, clientId, externalUserId: found.externalUserId, linkId: found.id, detail: "grace retry: same pair" }, context);
        observer.refreshGraceAnswered();
        return pair;
      }
      // Reuse of a rotated token after the grace, or after its successor was used. Revoked only if
      // the link is as read: a rotation or revocation that came in between is decided on again.
      if (!(await links.revoke(found.id, "refresh_token_reuse", now, found.currentRefreshDigest))) return service.rotateRefreshToken(input);
      observer.reuseDetected("refresh_token");
      await deps.audit.record(
        { event: "refresh_reuse_detected", userId: found.userId, clientId, externalUserId: found.externalUserId, linkId: found.id, detail: "old refresh token replayed: link revoked" },
        context,
      );
      throw invalidGrant("refresh token");
    },

    /** RFC 7009: revokes the link behind a token of this client; silent for anything else (§2.2). */
    async revokeToken(input: { client: Client; token: string; context?: RequestContext }): Promise<void> {
      const locator = anyTokenLocator(input.token);
      const found = locator ? await links.findByCurrentToken(locator, vault.digest(input.token)) : null;
      if (found && found.clientId === input.client.clientId && found.status === "active") {
        await links.revoke(found.id, "revoked_by_client", clock());
        await deps.audit.record(
          { event: "unlinked_by_partner", userId: found.userId, clientId: found.clientId, externalUserId: found.externalUserId, linkId: found.id, detail: "token revoked (RFC 7009)" },
          input.context ?? NO_CONTEXT,
        );
      }
    },

    /** RFC 7662: whether a token is live, for the client it was issued to (others see inactive). */
    async introspect(input: { client: Client; token: string }) {
      const now = clock();
      const found = await liveToken(input.token, now);
      if (!found || found.clientId !== input.client.clientId) return { active: false as const };
      return {
        active: true as const,
        scope: found.scopes.join(" "),
        client_id: found.clientId,
        token_type: found.kind === "refresh" ? "refresh_token" : "Bearer",
        exp: Math.floor(found.expiresAt.getTime() / 1000),
        sub: found.userId,
        ext_user_id: found.externalUserId,
        iss: deps.issuer,
      };
    },

    /**
     * RFC 6750 resource access: who a live access token (of any client) speaks for and what it
     * may do; null for anything else (unknown, expired past the leeway, of a revoked link, or a
     * refresh token).
     */
    async authenticateAccessToken(accessToken: string): Promise<{ userId: string; scopes: string[]; clientId: string } | null> {
      const found = await liveToken(accessToken, clock());
      if (!found || found.kind === "refresh") return null;
      return { userId: found.userId, scopes: found.scopes, clientId: found.clientId };
    },

    /** OpenID-style userinfo for a live access token of any client. */
    async userinfo(accessToken: string) {
      const found = await liveToken(accessToken, clock());
      if (!found || found.kind === "refresh") return null;
      return {
        sub: found.userId,
        ...(found.scopes.includes("profile") ? { name: found.userName } : {}),
        ...(found.scopes.includes("email") ? { email: found.userEmail } : {}),
      };
    },
  };
  return service;
}

export type TokenService = ReturnType<typeof createTokenService>;
