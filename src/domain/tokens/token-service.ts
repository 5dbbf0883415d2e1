/**
 * One token service for every front door (Karabast's link-confirm and refresh-token, and the
 * standard OAuth token endpoint later): it issues, rotates and checks access and refresh tokens.
 */
import type { Config } from "../../config.js";
import type { LinkRepository, StoredTokenPair } from "../../repositories/link-repository.js";
import type { Client } from "../clients/client-service.js";
import { invalidGrant } from "../errors.js";
import { generateToken, TokenDecryptionError, type TokenVault } from "./token-vault.js";

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token_expires_in: number;
  scope: string;
}

export interface TokenServiceDeps {
  links: LinkRepository;
  vault: TokenVault;
  tokens: Config["tokens"];
  clock: () => Date;
}

const secondsUntil = (at: Date, now: Date) => Math.max(0, Math.floor((at.getTime() - now.getTime()) / 1000));

export function createTokenService(deps: TokenServiceDeps) {
  const { links, vault, tokens, clock } = deps;

  /** A new access/refresh pair: plaintext for the response, digests and ciphertexts for storage. */
  function issueTokenPair(now: Date): { response: Omit<TokenResponse, "scope">; stored: StoredTokenPair } {
    const access = generateToken("access");
    const refresh = generateToken("refresh");
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
        accessTokenDigest: vault.digest(access),
        accessTokenCiphertext: vault.encrypt(access),
        accessTokenExpiresAt,
        refreshTokenDigest: vault.digest(refresh),
        refreshTokenCiphertext: vault.encrypt(refresh),
        refreshTokenExpiresAt,
      },
    };
  }

  return {
    issueTokenPair,

    /** Step 5 of the workflow: a single-use link token becomes the link's first token pair. */
    async consumeLinkToken(input: { client: Client; linkToken: string; externalUserId: string }): Promise<TokenResponse> {
      const now = clock();
      const pair = issueTokenPair(now);
      const link = await links.activateWithLinkToken({
        linkTokenDigest: vault.digest(input.linkToken),
        clientId: input.client.clientId,
        externalUserId: input.externalUserId,
        now,
        tokens: pair.stored,
      });
      if (!link) throw invalidGrant("link token");
      return { ...pair.response, scope: link.scopes.join(" ") };
    },

    /**
     * Refresh with rotation (RFC 9700 §4.14.2). The current refresh token rotates. The previous
     * one, presented again within the grace window and before the newer token was itself used,
     * gets the same current pair back (concurrent refreshes and crash-retries of the deployed
     * client). Any other replay of a rotated token is reuse: the link is revoked.
     */
    async rotateRefreshToken(input: { client: Client; refreshToken: string; externalUserId: string }): Promise<TokenResponse> {
      const now = clock();
      const digest = vault.digest(input.refreshToken);
      const pair = issueTokenPair(now);
      const rotated = await links.rotateRefreshToken({
        refreshTokenDigest: digest,
        clientId: input.client.clientId,
        externalUserId: input.externalUserId,
        now,
        tokens: pair.stored,
      });
      if (rotated) return { ...pair.response, scope: rotated.scopes.join(" ") };

      // Slow path: the token is not the current one of a usable link. Find out why.
      const found = await links.findByAnyRefreshToken(digest);
      if (!found || found.status !== "active") throw invalidGrant("refresh token");
      if (found.clientId !== input.client.clientId || found.externalUserId !== input.externalUserId) throw invalidGrant("refresh token");
      if (found.isCurrent) throw invalidGrant("refresh token"); // current but expired

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
        let access: string, refresh: string;
        try {
          access = vault.decrypt(found.accessTokenCiphertext!);
          refresh = vault.decrypt(found.refreshTokenCiphertext!);
        } catch (err) {
          // A stored value that fails its authentication tag was tampered with: hand out nothing.
          if (err instanceof TokenDecryptionError) throw invalidGrant("refresh token");
          throw err;
        }
        return {
          access_token: access,
          refresh_token: refresh,
          token_type: "Bearer",
          expires_in: secondsUntil(found.accessTokenExpiresAt!, now),
          refresh_token_expires_in: secondsUntil(found.refreshTokenExpiresAt!, now),
          scope: found.scopes.join(" "),
        };
      }
      // Reuse of a rotated token after the grace, or after its successor was used.
      await links.revoke(found.id, "refresh_token_reuse", now);
      throw invalidGrant("refresh token");
    },

    /** The live link an access token of this client belongs to, or null. Marks it used. */
    async authenticateAccessToken(input: { client: Client; accessToken: string }) {
      if (!input.accessToken.startsWith("swba_") || input.accessToken.length > 200) return null;
      return links.useAccessToken(vault.digest(input.accessToken), input.client.clientId, clock());
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
