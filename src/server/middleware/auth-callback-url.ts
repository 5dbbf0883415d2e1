/**
 * better-auth's endpoints take where to send the browser next: `callbackURL`,
 * `newUserCallbackURL`, `errorCallbackURL` and `redirectTo` in the JSON or form body, and
 * `callbackURL` in the query of its GET endpoints (verify-email, reset-password/:token,
 * delete-user/callback); both places are checked. It copies them into a Location header as given,
 * so one holding a character above U+00FF made sign-in answer 500 (a header value must be a
 * ByteString), and its own origin check is off in tests. This middleware refuses, with 400
 * invalid_request naming the field, a value that is not visible ASCII or that leads off this
 * site: it must be a path here ("/settings/integrations?x=1") or an http(s) URL on PUBLIC_URL's
 * origin. Empty values pass: better-auth treats them as absent.
 */
import type { MiddlewareHandler } from "hono";
import { badRequest } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { authBodyMembers } from "./auth-body.js";

/** The members better-auth turns into redirects, wherever they arrive. */
const CALLBACK_FIELDS: ReadonlySet<string> = new Set(["callbackURL", "newUserCallbackURL", "errorCallbackURL", "redirectTo"]);

/** No space, no control character, nothing above U+007E: anything else must be percent-encoded. */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;
/** An encoded "/" or "\" in the path, which some routers decode into "//host" (better-auth refuses it too). */
const ENCODED_SEPARATOR = /%2f|%5c/i;

export function checkCallbackUrls(): MiddlewareHandler<AppEnv> {
  return async function callbackUrls(c, next) {
    const origin = new URL(c.get("deps").config.publicUrl).origin;
    const query = [...new URL(c.req.url).searchParams];
    const body = authBodyMembers(c);
    for (const [field, value] of [...query, ...body]) {
      if (CALLBACK_FIELDS.has(field)) assertCallbackUrl(field, value, origin);
    }
    await next();
  };
}

/** Throws 400 invalid_request, naming `field`, unless `value` is absent, empty or a target on `origin`. */
function assertCallbackUrl(field: string, value: unknown, origin: string): void {
  if (value === undefined || value === "") return;
  if (typeof value !== "string") throw badRequest(`${field} must be a string`);
  if (!VISIBLE_ASCII.test(value)) throw badRequest(`${field} must be printable ASCII without spaces; percent-encode other characters`);
  if (!staysOn(origin, value)) throw badRequest(`${field} must be a path on this site (starting with a single "/") or a URL on ${origin}`);
}

function staysOn(origin: string, value: string): boolean {
  if (value.includes("\\")) return false; // browsers read "\" as "/": "/\evil.example" is "//evil.example"
  try {
    if (value.startsWith("/")) {
      if (value.startsWith("//") || ENCODED_SEPARATOR.test(value.split(/[?#]/, 1)[0]!)) return false;
      return new URL(value, origin).origin === origin;
    }
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === origin && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}
