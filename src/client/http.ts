/** One JSON POST to Swubase, with Swubase's error bodies turned into SwubaseLinkError. */
import { SwubaseLinkError } from "./errors.js";

/**
 * The fetch the client uses. The global `fetch` fits; so does an in-process app, e.g.
 * `(input, init) => app.request(input, init)` (Hono) or `(input, init) => app.fetch(new Request(input, init))`.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response> | Response;

/** Sends `body` as JSON and returns the parsed JSON answer of a 2xx response. */
export async function postJson(fetchImpl: FetchLike, url: string, body: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new SwubaseLinkError("network_error", `Swubase could not be reached (${url}): ${describe(cause)}`, { cause });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (cause) {
    throw new SwubaseLinkError("network_error", `Swubase's answer could not be read (${res.status})`, { status: res.status, cause });
  }
  const json = parseJson(text);
  if (!res.ok) throw httpError(res.status, text, json);
  if (json === undefined)
    throw new SwubaseLinkError("invalid_response", `Swubase answered ${res.status} without a JSON body`, { status: res.status, body: text.slice(0, 2000) });
  return json;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function httpError(status: number, text: string, json: unknown): SwubaseLinkError {
  const members = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
  const error = typeof members.error === "string" ? members.error : undefined;
  const errorDescription = typeof members.error_description === "string" ? members.error_description : undefined;
  const body = text.slice(0, 2000);
  const detail = error ? `${error}${errorDescription ? `: ${errorDescription}` : ""}` : body || "(empty body)";
  return new SwubaseLinkError(error ?? "http_error", `Swubase answered ${status}: ${detail}`, { status, error, errorDescription, body });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
