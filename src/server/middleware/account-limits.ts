/**
 * Budgets for better-auth's account endpoints, in our rate-limit store (shared by instances,
 * answered as our 429 JSON). better-auth's own limiter is off (src/auth/auth.ts): it kept its
 * counters per instance, keyed by an address it read from X-Forwarded-For as the client sent it,
 * or by one site-wide bucket without one, and capped get-session, called on every page load,
 * at 100 per 10 s. Here every key is the client address we resolved (middleware/client-address.ts),
 * so one address's attempts never block another's; nothing is site-wide.
 * - sign-in: per address and email, counted before the password check (success or not); and per
 *   address whatever the email (password spraying): counted before the check too, so parallel
 *   attempts cannot overrun it, and given back when the password was right, so only failures use
 *   it up. change-password (a password check behind a session) counts against the same budget.
 * - sign-up: per address.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { addressBucket } from "../client-address.js";
import { authBodyMembers } from "./auth-body.js";

export function accountLimits(): MiddlewareHandler<AppEnv> {
  return async function limitAccounts(c, next) {
    const limits = c.get("deps").rateLimits;
    if (!limits || c.req.method !== "POST") return next();
    const address = addressBucket(c.get("clientAddress"));
    const endpoint = c.req.path.slice("/api/auth/".length);
    const checksPassword = endpoint.startsWith("sign-in/") || endpoint === "change-password";
    if (checksPassword) await limits.consume("signInAddress", address);
    if (endpoint.startsWith("sign-in/")) {
      const given = authBodyMembers(c).find(([field]) => field === "email")?.[1];
      const email = typeof given === "string" ? given.trim().toLowerCase().slice(0, 320) : "";
      await limits.consume("signIn", `${address}|${email}`);
    } else if (endpoint.startsWith("sign-up/")) {
      await limits.consume("signUp", address);
    }
    await next();
    if (checksPassword && c.res.status === 200) await limits.refund("signInAddress", address);
  };
}
