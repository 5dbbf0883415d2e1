/**
 * Browser endpoints that change state on the user's behalf (approve, deny, unlink) accept only
 * requests from our own pages: the Origin header must be PUBLIC_URL's origin. Browsers always
 * send Origin on cross-origin POST/DELETE, so a forged request from another site is refused even
 * though it would carry the session cookie (SameSite=Lax does not cover same-site subdomains).
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";

export function requireSameOrigin<E extends AppEnv = AppEnv>(): MiddlewareHandler<E> {
  return async function sameOrigin(c, next) {
    const expected = new URL(c.get("deps").config.publicUrl).origin;
    const origin = c.req.header("origin");
    const fetchSite = c.req.header("sec-fetch-site");
    const ok = origin !== undefined ? origin === expected : fetchSite === "same-origin";
    if (!ok) throw new OAuthError("access_denied", "Cross-origin request refused", 403);
    await next();
  };
}
