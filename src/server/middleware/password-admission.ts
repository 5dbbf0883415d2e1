/**
 * The door in front of better-auth's password endpoints (issue 13, item 6). Under a flood of
 * sign-ins and sign-ups, a request the hashing queue could not serve within its wait limit is
 * refused here, at once, with the queue's own 503 (`Retry-After`, "Too many sign-ins at once"),
 * before its body is read, before better-auth looks the user up or opens a session, so the
 * flood cannot take the event loop and the database pool from the partner endpoints.
 */
import type { MiddlewareHandler } from "hono";
import type { PasswordHashing } from "../../auth/password-hashing.js";
import type { AppEnv } from "../app-env.js";

/** better-auth endpoints that hash or verify a password (sign-in also hashes for an unknown email). */
const PASSWORD_PATHS = new Set([
  "/api/auth/sign-in/email",
  "/api/auth/sign-up/email",
  "/api/auth/change-password",
  "/api/auth/set-password",
  "/api/auth/reset-password",
  "/api/auth/delete-user",
]);

export function admitPasswordWork(hashing: Pick<PasswordHashing, "admit" | "busyError">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST" || !PASSWORD_PATHS.has(c.req.path.replace(/\/+$/, ""))) return next();
    const release = hashing.admit();
    if (!release) throw hashing.busyError();
    try {
      await next();
    } finally {
      release();
    }
  };
}
