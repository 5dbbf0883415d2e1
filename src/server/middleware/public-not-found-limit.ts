/**
 * A per-address budget of public lookups that find nothing, against enumerating handles: GET
 * /api/public/* answered 404 (an unknown or private handle, an unknown path) counts against
 * `publicNotFound` (RATE_LIMIT_PUBLIC_NOT_FOUND_PER_15_MINUTES) for the client address (behind
 * TRUSTED_PROXIES; an IPv6 address by its /64), in the store the other abuse budgets share. The
 * 404 that exceeds it is answered 429 with Retry-After, and so is every public lookup from that
 * address, found or not, while the block lasts: a 200 among the 429s would still tell which
 * handles exist. The block is remembered in memory (each instance learns it at its first refused
 * lookup), so a blocked address costs no database query and no store round trip.
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { addressBucket } from "../client-address.js";
import { renderError } from "../render-error.js";

export function limitPublicNotFound(): MiddlewareHandler<AppEnv> {
  return async function budgetPublicNotFound(c, next) {
    const limits = c.get("deps").rateLimits;
    if (!limits) return next();
    const address = addressBucket(c.get("clientAddress"));
    limits.assertNotBlocked("publicNotFound", address);
    await next();

    if (!(c.error instanceof OAuthError) || c.error.status !== 404) return;
    try {
      await limits.consume("publicNotFound", address);
    } catch (over) {
      if (over instanceof OAuthError) c.res = renderError(over, c);
      else throw over;
    }
  };
}
