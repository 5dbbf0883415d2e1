/**
 * Changing the password ends every other session (a stolen session cookie dies with the old
 * password): better-auth's change-password gets `revokeOtherSessions: true` whatever the client
 * sent. The body was read once by readAuthBody; better-auth is handed this rewritten copy.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";

export function endOtherSessionsOnPasswordChange(): MiddlewareHandler<AppEnv> {
  return async function revokeOtherSessions(c, next) {
    const body = c.req.path === "/api/auth/change-password" ? c.get("authBody") : undefined;
    if (body) {
      const { json } = body;
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        const rewritten = { ...(json as Record<string, unknown>), revokeOtherSessions: true };
        c.set("authBody", { text: JSON.stringify(rewritten), json: rewritten });
      } else if ((c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) {
        const params = new URLSearchParams(body.text);
        params.set("revokeOtherSessions", "true");
        c.set("authBody", { text: params.toString(), json: undefined });
      }
    }
    await next();
  };
}
