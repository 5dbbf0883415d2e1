/**
 * Accounts and sessions (better-auth, email + password). Its endpoints live at their standard
 * paths under /api/auth/* (sign-up/email, sign-in/email, sign-out, get-session, ...).
 * Cookies are httpOnly and SameSite=Lax (better-auth's defaults), Secure when PUBLIC_URL is https.
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { account, session, user, verification } from "../db/schema.js";
import type { Logger } from "../logger.js";
import { createPasswordHashing } from "./password-hashing.js";

/** How better-auth learns the client address: set by our authRequest from the address we resolved (TRUSTED_PROXIES); a client's own is dropped. */
export const CLIENT_ADDRESS_HEADER = "x-swubase-client-address";

/** A session older than this must confirm the password before approving a link (and better-auth's own fresh-session checks). */
export const SESSION_FRESH_AGE_SECONDS = 24 * 3600;

const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 128;

export function createAuth(deps: { config: Config; db: Db; logger: Logger }) {
  const { config, db, logger } = deps;
  const passwordHashing = createPasswordHashing(config.passwordHashing);
  const auth = betterAuth({
    appName: "Swubase",
    baseURL: config.publicUrl,
    basePath: "/api/auth",
    secret: config.secrets.authSecret,
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
      revokeSessionsOnPasswordReset: true,
      // better-auth's own scrypt, a bounded number at once (src/auth/password-hashing.ts).
      password: passwordHashing,
    },
    session: { freshAge: SESSION_FRESH_AGE_SECONDS },
    trustedOrigins: [config.publicUrl],
    telemetry: { enabled: false },
    // Off: our own budgets (src/server/middleware/account-limits.ts) key on the client address we
    // resolved, in the shared store; better-auth's keyed on a client-chosen X-Forwarded-For or one
    // site-wide bucket, per instance, and capped get-session site-wide.
    rateLimit: { enabled: false },
    advanced: {
      useSecureCookies: config.secureCookies,
      // The address our middleware resolved (TRUSTED_PROXIES), never X-Forwarded-For as the client sent it.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER], ipv6Subnet: 128 },
    },
    logger: {
      level: "warn",
      log: (level, message) => {
        const log = level === "error" ? logger.error.bind(logger) : logger.warn.bind(logger);
        log({ component: "auth" }, message);
      },
    },
  });
  // The admission door in front of better-auth (src/server/middleware/password-admission.ts) shares the queue.
  return Object.assign(auth, { passwordHashing });
}

export type Auth = ReturnType<typeof createAuth>;

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}
