/**
 * Small per-address budgets (the client address behind TRUSTED_PROXIES; an IPv6 address counts by its /64) for the signs of abuse: failed client authentication, unknown or invalid
 * tokens, unauthenticated requests. A caller over a budget gets 429 with Retry-After before its
 * request does any work (the block is remembered in memory). Invalid tokens presented by an
 * authenticated partner count against that partner's own, far larger budget, because a partner
 * sends every user's refresh from a handful of IPs and some of those users will have unlinked.
 */
import type { MiddlewareHandler } from "hono";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import type { AbuseBudget } from "../rate-limit/limiters.js";
import { renderError } from "../render-error.js";
import { addressBucket } from "../client-address.js";

export function abuseGuard(): MiddlewareHandler<AppEnv> {
  return async function guardAbuse(c, next) {
    const limits = c.var.deps.rateLimits;
    if (!limits) return next();
    const ip = addressBucket(c.var.clientAddress);
    limits.assertNotBlocked("failedAuth", ip);
    limits.assertNotBlocked("invalidTokens", ip);
    limits.assertNotBlocked("unauthenticated", ip);
    await next();

    const err = c.error;
    if (!(err instanceof OAuthError)) return;
    let charge: [AbuseBudget, string] | null = null;
    if (err.error === "invalid_client") charge = ["failedAuth", ip];
    else if (err.error === "invalid_grant" || err.error === "invalid_token")
      charge = c.var.client ? ["partnerInvalidTokens", c.var.client.clientId] : ["invalidTokens", ip];
    else if (err.error === "login_required") charge = ["unauthenticated", ip];
    if (!charge) return;
    try {
      await limits.consume(...charge);
    } catch (over) {
      if (over instanceof OAuthError) c.res = renderError(over, c);
      else throw over;
    }
  };
}
