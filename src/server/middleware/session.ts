import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { unauthorized } from "../../domain/errors.js";

/** Requires a signed-in user (better-auth session cookie); sets `c.var.user`. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireSessionUser(c, next) {
    const session = await c.var.deps.auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) throw unauthorized();
    c.set("user", { id: session.user.id, name: session.user.name, email: session.user.email });
    await next();
  };
}
