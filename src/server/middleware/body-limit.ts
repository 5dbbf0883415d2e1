/**
 * The first check of every request, before anything reads, clones or parses its body (better-auth
 * included): a declared Content-Length over the route's limit answers 413 at once. Without a
 * Content-Length (chunked), bytes are counted as they arrive by the only two readers of a body,
 * readBody (our routes) and readAuthBody (better-auth's), which stop at the same limits. A route
 * that never reads its body leaves it to @hono/node-server, which drains it without buffering
 * (at most 64 MB, for 500 ms) and then closes the connection.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { LINK_BODY_LIMIT, tooLarge } from "./read-body.js";

export function limitBody(options: { maxBytes?: number; perPath?: Record<string, number> } = {}): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? LINK_BODY_LIMIT;
  const perPath = new Map(Object.entries(options.perPath ?? {}));
  return async function bodyLimit(c, next) {
    const declared = c.req.header("content-length");
    if (declared !== undefined) {
      const limit = perPath.get(c.req.path) ?? maxBytes;
      if (Number(declared) > limit) throw tooLarge(limit);
    }
    await next();
  };
}
