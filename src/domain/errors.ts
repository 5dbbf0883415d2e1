/**
 * One error family for the whole service: RFC 6749 §5.2 style `{error, error_description}`.
 * Domain code throws it with a code and a description; the status follows from the code
 * unless given. It is rendered once, by the HTTP layer's error handler.
 */
export type ErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied"
  | "invalid_token"
  | "insufficient_scope"
  | "login_required"
  | "reauthentication_required"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "temporarily_unavailable"
  | "server_error";

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503;

const DEFAULT_STATUS: Partial<Record<ErrorCode, ErrorStatus>> = {
  invalid_client: 401, // RFC 6749 §5.2
  invalid_token: 401, // RFC 6750 §3.1
  login_required: 401,
  reauthentication_required: 403,
  access_denied: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  server_error: 500,
  temporarily_unavailable: 503,
};

export class OAuthError extends Error {
  readonly status: ErrorStatus;
  constructor(
    readonly error: ErrorCode,
    readonly description: string,
    status?: ErrorStatus,
    readonly headers: Record<string, string> = {},
    /** Extra JSON members, e.g. `redirectTo` for errors the approval page sends back to the partner. */
    readonly extra: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
    this.status = status ?? DEFAULT_STATUS[error] ?? 400;
  }

  toJSON() {
    return { error: this.error, error_description: this.description, ...this.extra };
  }
}

export const badRequest = (description: string) => new OAuthError("invalid_request", description);
export const notFound = (description = "Not found") => new OAuthError("not_found", description);
export const unauthorized = (description = "Sign in first") => new OAuthError("login_required", description);
/** One message for every unusable grant, so the answer is no oracle (which part was wrong). */
export const invalidGrant = (what: "link token" | "refresh token" | "authorization code") =>
  new OAuthError("invalid_grant", `The ${what} is invalid, expired, already used, or was issued to another client or user`);
