/**
 * Small per-address budgets (the client address behind TRUSTED_PROXIES; an IPv6 address counts by
 * its /64) for the signs of abuse: failed client authentication, unknown or invalid tokens,
 * unauthenticated requests. They apply only to requests that fail that way: a request that proves
 * who it is (valid client credentials, a valid token, a session) is never refused because others
 * at the same address (behind the same proxy, or an attacker on the partner's own network) used
 * the budget up. A failing request over a budget gets 429 with Retry-After instead of its error;
 * once a budget is used up the block is remembered in memory, so a blocked caller's failures cost
 * no store round trip (and, in client-auth, no audit row). Invalid tokens presented by an
 * authenticated partner count against that partner's own, far larger budget, because a partner
 * sends every user's refresh from a handful of addresses and some of those users will have unlinked.
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import type { AbuseBudget } from "../rate-limit/limiters.js";
import { renderError } from "../render-error.js";
import { addressBucket } from "../client-address.js";

/** Which budget a failure counts against, or null when it is not a sign of abuse. */
function failureBudget(err: OAuthError, partnerClientId: string | undefined, address: string): [AbuseBudget, string] | null {
  if (err.error === "invalid_client") return ["failedAuth", address];
  if (err.error === "invalid_grant" || err.error === "invalid_token")
    return partnerClientId !== undefined ? ["partnerInvalidTokens", partnerClientId] : ["invalidTokens", address];
  if (err.error === "login_required") return ["unauthenticated", address];
  return null;
}

export function abuseGuard(): MiddlewareHandler<AppEnv> {
  return async function guardAbuse(c, next) {
    const limits = c.get("deps").rateLimits;
    if (!limits) return next();
    await next();

    const err = c.error;
    if (!(err instanceof OAuthError)) return;
    const charge = failureBudget(err, c.get("client")?.clientId, addressBucket(c.get("clientAddress")));
    if (!charge) return;
    try {
      limits.assertNotBlocked(...charge);
      await limits.consume(...charge);
    } catch (over) {
      if (over instanceof OAuthError) c.res = renderError(over, c);
      else throw over;
    }
  };
}
