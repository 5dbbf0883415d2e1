/**
 * The only place an error becomes a response. Known errors keep their status and code;
 * database outages become 503; anything else is logged and answered with a generic 500
 * (never a stack trace).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env.js";
import { OAuthError, type ErrorCode } from "../domain/errors.js";

const DATABASE_DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "invalid_request",
  401: "login_required",
  403: "access_denied",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
  503: "temporarily_unavailable",
};

/** What of an unexpected error may be logged: never query parameters (they can hold digests or ciphertexts). */
export function describeError(err: unknown): { type: string; message: string; cause?: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const message = e.message.split("\nparams:")[0]!.slice(0, 500);
  const cause = e.cause instanceof Error ? e.cause.message.slice(0, 500) : undefined;
  return cause ? { type: e.name, message, cause } : { type: e.name, message };
}

function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && DATABASE_DOWN_CODES.has(code)) return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err && isDatabaseUnavailable(cause);
}

export function renderError(err: Error, c: Context<AppEnv>): Response {
  c.header("Cache-Control", "no-store");
  if (err instanceof OAuthError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(err.toJSON(), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = CODE_BY_STATUS[err.status] ?? "invalid_request";
    return c.json({ error: code, error_description: err.message || code.replace(/_/g, " ") }, err.status);
  }
  if (isDatabaseUnavailable(err)) {
    c.get("deps")?.logger.warn({ reqId: c.get("requestId"), err: describeError(err) }, "database unavailable");
    c.header("Retry-After", "5");
    return c.json({ error: "temporarily_unavailable", error_description: "The database is not answering; try again shortly" }, 503);
  }
  c.get("deps")?.logger.error({ reqId: c.get("requestId"), err: describeError(err) }, "unhandled error");
  return c.json({ error: "server_error", error_description: "Something went wrong on our side" }, 500);
}
