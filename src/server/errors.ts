/**
 * One error family for every endpoint: RFC 6749 §5.2 style `{error, error_description}`.
 * Thrown anywhere in a request, rendered once by `renderError` (app.onError).
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "invalid_token"
  | "insufficient_scope"
  | "login_required"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "temporarily_unavailable"
  | "server_error";

export class OAuthError extends Error {
  constructor(
    readonly error: ErrorCode,
    readonly description: string,
    readonly status: ContentfulStatusCode = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }

  toJSON() {
    return { error: this.error, error_description: this.description };
  }
}

export const badRequest = (description: string) => new OAuthError("invalid_request", description, 400);
export const notFound = (description = "Not found") => new OAuthError("not_found", description, 404);
export const unauthorized = (description = "Sign in first") => new OAuthError("login_required", description, 401);
