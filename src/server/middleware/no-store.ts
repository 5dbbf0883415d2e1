import type { MiddlewareHandler } from "hono";

/** Responses that carry tokens must not be cached (RFC 6749 §5.1). */
export function noStore(): MiddlewareHandler {
  return async function setNoStore(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
  };
}
