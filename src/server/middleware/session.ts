import type { MiddlewareHandler } from "hono";
import { SESSION_FRESH_AGE_SECONDS } from "../../auth/auth.js";
import type { AppEnv } from "../app-env.js";
import { OAuthError, unauthorized } from "../../domain/errors.js";

/**
 * Requires a signed-in user (better-auth session cookie); sets `c.get("user")`. With `fresh`, the
 * session must also have been created within SESSION_FRESH_AGE_SECONDS (24 h): an older one gets
 * 403 `reauthentication_required`, and the page asks for the password (a new sign-in) and retries.
 * Session times are better-auth's (the real clock), not the app's clock.
 */
export function requireUser(options: { fresh?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async function requireSessionUser(c, next) {
    const session = await c.get("deps").auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) throw unauthorized();
    if (options.fresh && Date.now() - new Date(session.session.createdAt).getTime() > SESSION_FRESH_AGE_SECONDS * 1000)
      throw new OAuthError("reauthentication_required", "You signed in more than 24 hours ago: confirm your password to approve this link", 403);
    c.set("user", { id: session.user.id, name: session.user.name, email: session.user.email });
    await next();
  };
}
