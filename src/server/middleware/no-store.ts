import type { MiddlewareHandler } from "hono";

/**
 * Responses that carry tokens must not be cached (RFC 6749 §5.1), error answers included.
 * Set on `c.res.headers` (not `c.header()`): once the response exists, `c.header()` copies it,
 * which makes @hono/node-server build a full web Response for every answer.
 */
export function noStore(): MiddlewareHandler {
  return async function setNoStore(c, next) {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.set("Pragma", "no-cache");
  };
}
