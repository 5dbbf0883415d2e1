/**
 * Refuses, with 400 JSON, requests whose decoded path or query, or (for better-auth's endpoints,
 * which parse their own bodies) JSON or form body as readAuthBody read it, holds text PostgreSQL
 * cannot store. Our own endpoints' bodies are checked by readBody.
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { assertSafeValue, isSafeText } from "../schemas/safe-text.js";

export function rejectUnsafeInput(options: { checkJsonBody?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async function safeInput(c, next) {
    const url = new URL(c.req.url);
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(url.pathname);
    } catch {
      throw new OAuthError("invalid_request", "The path is not valid percent-encoding");
    }
    if (!isSafeText(decodedPath)) throw new OAuthError("invalid_request", "The path contains a NUL character or invalid Unicode");
    for (const [k, v] of url.searchParams) {
      if (!isSafeText(k) || !isSafeText(v)) throw new OAuthError("invalid_request", "The query contains a NUL character or invalid Unicode");
    }
    const body = options.checkJsonBody ? c.get("authBody") : undefined;
    if (body) {
      // Whatever the label, and both readings when the label is ambiguous ("…form-urlencoded,
      // application/json"): refused here, such text never reaches better-auth or a limiter key.
      if (body.json !== undefined) assertSafeValue(body.json, "the body");
      if ((c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) assertSafeValue(Object.fromEntries(new URLSearchParams(body.text)), "the body");
    }
    await next();
  };
}
