/**
 * Times every request into `http_request_duration_seconds` by method, the matched route pattern
 * (Hono's route path of the handler that answered, e.g. `/api/me/links/:id`, never the raw URL:
 * the label values stay few) and status. Mounted first, so the time covers the whole pipeline.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Metrics } from "../metrics/metrics.js";

export function requestMetrics(metrics: Metrics): MiddlewareHandler {
  return async function timeRequest(c, next) {
    const started = performance.now();
    await next();
    metrics.observeRequest(c.req.method, routePath(c), c.res.status, (performance.now() - started) / 1000);
  };
}
