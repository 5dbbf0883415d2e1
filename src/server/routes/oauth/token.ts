/**
 * POST /oauth/token (RFC 6749 §3.2): authorization_code (with PKCE, RFC 7636) and
 * refresh_token grants, on the same token service as Karabast's link-confirm and refresh-token.
 */
import { Hono } from "hono";
import { z } from "zod";
import { parseScopes } from "../../../domain/clients/scopes.js";
import { OAuthError } from "../../../domain/errors.js";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { parseFields, tokenField } from "../../schemas/integration-fields.js";

export const AuthorizationCodeGrant = z.object({
  grantType: z.literal("authorization_code"),
  linkToken: tokenField("linkToken"),
  redirectUri: z.string({ error: "redirect_uri is required" }).max(2000, "redirect_uri is too long"),
  codeVerifier: z.string().max(200, "code_verifier is too long").optional(),
});

export const RefreshTokenGrant = z.object({
  grantType: z.literal("refresh_token"),
  refreshToken: tokenField("refreshToken"),
  scope: z.string().max(1000).optional(),
});

export const oauthTokenRoute = new Hono<AppEnv>().post("/token", noStore(), readBody(), authenticateClient(), async (c) => {
  const { tokens } = c.get("deps").services;
  const grantType = c.get("fields").grantType;
  if (grantType === undefined) throw new OAuthError("invalid_request", "grant_type is required");
  if (grantType === "authorization_code") {
    const input = parseFields(AuthorizationCodeGrant, c.get("fields"));
    return c.json(
      await tokens.consumeLinkToken({
        client: c.get("client"),
        linkToken: input.linkToken,
        externalUserId: null,
        redirectUri: input.redirectUri,
        codeVerifier: input.codeVerifier ?? null,
        grant: "authorization_code",
        context: requestContext(c),
      }),
    );
  }
  if (grantType === "refresh_token") {
    const input = parseFields(RefreshTokenGrant, c.get("fields"));
    // A refresh keeps the granted scope; asking for more than was granted is invalid_scope (RFC 6749 §6).
    return c.json(
      await tokens.rotateRefreshToken({
        client: c.get("client"),
        refreshToken: input.refreshToken,
        externalUserId: null,
        scope: input.scope === undefined ? null : parseScopes(input.scope),
        context: requestContext(c),
      }),
    );
  }
  throw new OAuthError("unsupported_grant_type", "Supported grant types: authorization_code, refresh_token");
});
