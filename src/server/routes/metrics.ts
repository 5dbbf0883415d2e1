/**
 * GET /metrics: the Prometheus text format, for the operator's scraper with
 * `Authorization: Bearer $METRICS_TOKEN` (compared in constant time). Mounted only when
 * METRICS_TOKEN is set; otherwise the path does not exist (404).
 */
import { Hono } from "hono";
import { OAuthError } from "../../domain/errors.js";
import { constantTimeEqual } from "../../domain/tokens/token-vault.js";
import type { AppEnv } from "../app-env.js";
import { abuseGuard } from "../middleware/abuse-guard.js";
import { noStore } from "../middleware/no-store.js";
import type { Metrics } from "../metrics/metrics.js";

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="metrics"' };

function bearer(header: string | undefined): string | null {
  const match = header ? /^Bearer +([\x21-\x7e]+) *$/i.exec(header) : null;
  return match ? match[1]! : null;
}

export function metricsRoute(metrics: Metrics, token: string) {
  // Wrong tokens count against the address's invalid-token budget, like any other (abuse-guard).
  return new Hono<AppEnv>().get("/metrics", noStore(), abuseGuard(), async (c) => {
    const given = bearer(c.req.header("authorization"));
    if (given === null) throw new OAuthError("invalid_token", "Metrics need Authorization: Bearer <METRICS_TOKEN>", 401, CHALLENGE);
    if (!constantTimeEqual(given, token)) throw new OAuthError("invalid_token", "Wrong metrics token", 401, CHALLENGE);
    return c.body(await metrics.render(), 200, { "Content-Type": metrics.registry.contentType });
  });
}
