/**
 * The body of a better-auth request as better-auth itself reads it (better-call accepts JSON and
 * form bodies and answers anything else 415), for the middleware that must look at it first:
 * the callback-URL check and the sign-in limiter's per-email key.
 */

/** better-call's own test for a JSON body (better-call/dist/utils.mjs), so we read what it reads. */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]*\+)?json/i;
const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** The top-level members of a JSON or form body, every occurrence; none when it does not parse (better-auth answers that). */
export async function authBodyMembers(req: Request): Promise<[string, unknown][]> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (JSON_CONTENT_TYPE.test(type)) {
      const body: unknown = JSON.parse(await req.clone().text());
      return body !== null && typeof body === "object" && !Array.isArray(body) ? Object.entries(body) : [];
    }
    if (type.includes(FORM_CONTENT_TYPE)) return [...new URLSearchParams(await req.clone().text())];
  } catch {
    // Malformed JSON: better-auth answers it with its own 400.
  }
  return [];
}
