/**
 * The body of a better-auth request, read once, within the limit, before anything else looks at
 * it: the input checks (safe-input), the callback-URL check and the sign-in limiter's per-email
 * key read `c.get("authBody")`, and better-auth gets a request rebuilt from the same bytes
 * (`authRequest`). Before, each of them cloned and parsed the raw body and better-auth read it
 * once more, all without a limit: one 50 MB body exhausted the heap.
 */
import type { Context, MiddlewareHandler } from "hono";
import { CLIENT_ADDRESS_HEADER } from "../../auth/auth.js";
import type { AppEnv } from "../app-env.js";
import { assertJsonDepth } from "../schemas/json-depth.js";
import { LINK_BODY_LIMIT, readLimitedText } from "./read-body.js";

/** better-call's own test for a JSON body (better-call/dist/utils.mjs), so we read what it reads. */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]*\+)?json/i;
const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

export interface AuthBody {
  text: string;
  /** The text parsed as JSON whatever its label, or undefined when it is not JSON. */
  json: unknown;
}

/** Reads a POST body for better-auth's endpoints into `c.get("authBody")` (413 beyond `maxBytes`, 400 when its JSON nests too deeply). */
export function readAuthBody(options: { maxBytes?: number } = {}): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? LINK_BODY_LIMIT;
  return async function authBody(c, next) {
    if (c.req.method === "POST") {
      const text = await readLimitedText(c, maxBytes);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined; // not JSON: better-auth answers it (or reads it as a form)
      }
      assertJsonDepth(json);
      c.set("authBody", { text, json });
    }
    await next();
  };
}

/** The top-level members of the JSON or form body as better-auth reads it, every occurrence; none when it does not parse (better-auth answers that). */
export function authBodyMembers(c: Context<AppEnv>): [string, unknown][] {
  const body = c.get("authBody");
  if (!body) return [];
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (JSON_CONTENT_TYPE.test(type)) {
    const { json } = body;
    return json !== null && typeof json === "object" && !Array.isArray(json) ? Object.entries(json) : [];
  }
  if (type.includes(FORM_CONTENT_TYPE)) return [...new URLSearchParams(body.text)];
  return [];
}

/**
 * The request better-auth handles: the original's method, URL and headers, with the body already
 * read, and the client address we resolved in CLIENT_ADDRESS_HEADER (never one the client sent).
 */
export function authRequest(c: Context<AppEnv>): Request {
  const headers = new Headers(c.req.raw.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  headers.delete(CLIENT_ADDRESS_HEADER);
  const clientAddress = c.get("clientAddress");
  if (clientAddress) headers.set(CLIENT_ADDRESS_HEADER, clientAddress);
  const body = c.get("authBody");
  // Bytes, not a string: a string body would make Request add `content-type: text/plain` where the
  // client sent none (better-auth then refused a body-less sign-out with 415). No body when empty.
  return new Request(c.req.url, { method: c.req.method, headers, ...(body && body.text.length > 0 ? { body: new TextEncoder().encode(body.text) } : {}) });
}
