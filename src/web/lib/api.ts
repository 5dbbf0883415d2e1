/**
 * A small fetch wrapper for our JSON API. Every server error is `{error, error_description}`
 * (better-auth's own endpoints answer `{code, message}`; both become an `ApiError`).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Machine-readable code, e.g. "invalid_request". */
    readonly error: string,
    /** Human-readable explanation, safe to show. */
    readonly description: string,
    /** The whole error body, for endpoint-specific fields such as `redirectTo`. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(description);
    this.name = "ApiError";
  }
}

const GENERIC_DESCRIPTION = "Something went wrong. Please try again.";

function asString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function toApiError(status: number, body: unknown): ApiError {
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const error = asString(record.error) ?? asString(record.code) ?? (status >= 500 ? "server_error" : "request_failed");
  const description = asString(record.error_description) ?? asString(record.message) ?? GENERIC_DESCRIPTION;
  return new ApiError(status, error, description, record);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }
  const data = await readJson(response);
  if (!response.ok) throw toApiError(response.status, data);
  if (data === undefined) throw new ApiError(response.status, "invalid_response", "The server sent an unexpected response.");
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** The message to show for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.description;
  if (err instanceof Error && err.message) return err.message;
  return GENERIC_DESCRIPTION;
}
