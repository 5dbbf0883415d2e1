/**
 * GET /oauth/userinfo: who the Bearer access token belongs to (RFC 6750 §2.1): `sub`, plus
 * `name` with the profile scope and `email` with the email scope.
 */
import { Hono } from "hono";
import { OAuthError } from "../../../domain/errors.js";
import type { AppEnv } from "../../app-env.js";
import { noStore } from "../../middleware/no-store.js";

const invalidToken = (description: string) =>
  new OAuthError("invalid_token", description, 401, { "WWW-Authenticate": `Bearer error="invalid_token", error_description="${description}"` });

export const oauthUserinfoRoute = new Hono<AppEnv>().on(["GET", "POST"], "/userinfo", noStore(), async (c) => {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(c.req.header("authorization") ?? "");
  if (!match) {
    c.header("WWW-Authenticate", 'Bearer realm="swubase"');
    throw new OAuthError("invalid_token", "A Bearer access token is required", 401, { "WWW-Authenticate": 'Bearer realm="swubase"' });
  }
  const info = await c.get("deps").services.tokens.userinfo(match[1]!);
  if (!info) throw invalidToken("The access token is invalid, expired or revoked");
  return c.json(info);
});
