/**
 * Who a statistics request speaks for: a partner's Bearer access token whose link has the `stats`
 * scope (RFC 6750), else the signed-in user's session cookie. A request carrying a Bearer token
 * is judged by the token alone (a cookie beside it is ignored). Sets `c.get("user")`.
 *
 * RFC 6750 §3: a bad token is 401 `invalid_token`, a token without the scope 403
 * `insufficient_scope`, both with WWW-Authenticate; a request with no credentials at all keeps
 * the session's 401 `login_required` body and gets a challenge without an error attribute (§3.1).
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError, unauthorized } from "../../../domain/errors.js";
import type { AppEnv } from "../../app-env.js";

const STATS_SCOPE = "stats";
const REALM = 'Bearer realm="swubase"';
/** RFC 6750 §2.1 b64token, after the scheme name (case-insensitive). */
const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

const invalidToken = () =>
  new OAuthError("invalid_token", "The access token is invalid, expired or revoked", 401, { "WWW-Authenticate": `${REALM}, error="invalid_token"` });
const insufficientScope = () =>
  new OAuthError("insufficient_scope", `The access token lacks the ${STATS_SCOPE} scope`, 403, {
    "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${STATS_SCOPE}"`,
  });

export function statsAuth(): MiddlewareHandler<AppEnv> {
  return async function authenticateStatsCaller(c, next) {
    const authorization = c.req.header("authorization");
    if (authorization !== undefined && /^Bearer(\s|$)/i.test(authorization.trim())) {
      const token = BEARER.exec(authorization)?.[1];
      const caller = token ? await c.get("deps").services.tokens.authenticateAccessToken(token) : null;
      if (!caller) throw invalidToken();
      if (!caller.scopes.includes(STATS_SCOPE)) throw insufficientScope();
      // Statistics read only the id; the name and email are not the partner's to see.
      c.set("user", { id: caller.userId, name: "", email: "" });
      return next();
    }
    const session = await c.get("deps").auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) {
      const err = unauthorized();
      throw new OAuthError(err.error, err.description, err.status, { "WWW-Authenticate": REALM });
    }
    c.set("user", { id: session.user.id, name: session.user.name, email: session.user.email });
    await next();
  };
}
