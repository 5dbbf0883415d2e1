/**
 * One log line per request: request id, method, path (never the query string: callbacks carry
 * tokens there), status and duration. The request id is echoed in `X-Request-Id`.
 */
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../logger.js";

export function requestLogger(logger: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      reqId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) logger.error(fields, "request failed");
    else logger.info(fields, "request");
  };
}
