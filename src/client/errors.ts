/** The one error type of the partner client library. */

/**
 * Codes the library itself assigns. Errors answered by Swubase carry the server's RFC 6749 code
 * instead (`invalid_client`, `invalid_grant`, …), and callback errors carry the `error` value of
 * the redirect (`access_denied`, `invalid_scope`, …); hence `code` is typed as a string.
 */
export type SwubaseLinkErrorCode =
  | "access_denied"
  | "missing_link_token"
  | "user_mismatch"
  | "state_mismatch"
  | "issuer_mismatch"
  | "unlinked"
  | "not_linked"
  | "invalid_response"
  | "network_error"
  | "http_error"
  | (string & {});

/** Everything that {@link SwubaseLinkError} can carry besides its message. */
export interface SwubaseLinkErrorDetails {
  /** HTTP status of Swubase's answer, when there was one. */
  status?: number;
  /** The `error` member of Swubase's JSON answer or of the callback query. */
  error?: string;
  /** The `error_description` member of Swubase's JSON answer or of the callback query. */
  errorDescription?: string;
  /** The raw response body (text), when Swubase answered something that was not the expected JSON. */
  body?: string;
  /** The underlying error (network failure, the failed refresh behind `unlinked`, …). */
  cause?: unknown;
}

/**
 * Thrown by every function of the library. Switch on `code`:
 * - `access_denied` (or another OAuth `error` value): the callback reported that the link failed;
 * - `missing_link_token`, `user_mismatch`, `state_mismatch`, `issuer_mismatch`: the callback must be refused;
 * - `invalid_client`, `invalid_grant`, `invalid_request`, …: Swubase's answer (see `status`);
 * - `unlinked`: a refresh was refused, so the user must link again; `not_linked`: no stored tokens;
 * - `network_error`, `invalid_response`, `http_error`: transport trouble, worth a retry.
 */
export class SwubaseLinkError extends Error {
  override readonly name = "SwubaseLinkError";
  /** What went wrong, see the class description. */
  readonly code: SwubaseLinkErrorCode;
  /** HTTP status of Swubase's answer, when there was one. */
  readonly status: number | undefined;
  /** The `error` member of Swubase's answer or of the callback. */
  readonly error: string | undefined;
  /** The `error_description` member of Swubase's answer or of the callback. */
  readonly errorDescription: string | undefined;
  /** The raw response body, when it was not the expected JSON. */
  readonly body: string | undefined;

  constructor(code: SwubaseLinkErrorCode, message: string, details: SwubaseLinkErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.body = details.body;
  }
}

/** True when `value` is a {@link SwubaseLinkError}, optionally with the given code. */
export function isSwubaseLinkError(value: unknown, code?: SwubaseLinkErrorCode): value is SwubaseLinkError {
  return value instanceof SwubaseLinkError && (code === undefined || value.code === code);
}
