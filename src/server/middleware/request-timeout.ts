/**
 * A time limit for API requests. postgres.js has a connect timeout but no query timeout, so a
 * database that accepts connections and then stops answering (a network blackhole, a frozen
 * server) would otherwise hold requests open forever. After `ms` the client gets 503
 * `temporarily_unavailable` with `Retry-After`. The abandoned handler keeps running until its
 * pending query returns, but starts no new query (see `runInQueryScope`), so it cannot act
 * later on a state the partner's retry has already changed. `c.get("requestSignal")` aborts then, or
 * when the client goes away first, so work that has not started yet (password hashing waiting for
 * its turn) does not start.
 */
import type { MiddlewareHandler } from "hono";
import { runInQueryScope, type QueryScope } from "../../db/database.js";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";

/** Below the 5 s a partner should wait at most; above the 2 s readiness ping. */
const REQUEST_TIMEOUT_MS = 4500;

export function requestTimeout(options: { ms?: number } = {}): MiddlewareHandler<AppEnv> {
  const ms = options.ms ?? REQUEST_TIMEOUT_MS;
  return async function timeLimit(c, next) {
    const scope: QueryScope = { closed: false };
    // Made on first use (only password work waits on it): an AbortController and AbortSignal.any
    // per request are measurable on the partner endpoints, which never read it.
    let timedOut: AbortController | undefined;
    let signal: AbortSignal | undefined;
    c.set("requestSignal", () => {
      if (!signal) {
        timedOut = new AbortController();
        if (scope.closed) timedOut.abort();
        signal = AbortSignal.any([c.req.raw.signal, timedOut.signal]);
      }
      return signal;
    });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new OAuthError("temporarily_unavailable", "The request took too long (the server is overloaded or the database is not answering); try again shortly", 503, { "Retry-After": "5" });
        scope.closed = true;
        timedOut?.abort(err);
        c.get("deps").logger.warn({ reqId: c.get("requestId"), method: c.req.method, path: c.req.path, timeoutMs: ms }, "request timed out");
        reject(err);
      }, ms);
    });
    try {
      await Promise.race([runInQueryScope(scope, () => next()), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
