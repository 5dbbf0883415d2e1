/**
 * Bugs the fuzzer found and that are reported, not yet fixed. While one is listed, the fuzz
 * properties count the cases it explains instead of failing (matched on the server's logged
 * cause, so any other 5xx still fails), and its minimal reproducers run as `it.fails` tests.
 * When a fix lands, its reproducers start passing, `it.fails` turns red: delete the entry
 * here and its reproducers.
 */
import { TEST_ORIGIN, type SentRequest, type World } from "./harness.js";
import type { EndpointSpec, KnownBug, Outcome } from "./runner.js";

const logSays = (o: Outcome, pattern: RegExp) => o.serverLog.some((l) => pattern.test(l));

export const KNOWN_BUGS: KnownBug[] = [
  // KNOWN BUG: the refresh_token grant of /oauth/token rotates the pair before it checks `scope`;
  // a scope that was not granted answers 400 invalid_scope after the rotation was written (the
  // client never sees the new pair, so its next refresh presents a rotated token).
  {
    id: "refresh-grant-rotates-before-scope-check",
    matches: (e, o) => e === "POST /oauth/token" && o.status === 400 && o.text.includes('"invalid_scope"') && o.writes.some((w) => w.tbl === "user_integration"),
  },
  // KNOWN BUG: a successful sign-in with a callbackURL holding a character above U+00FF (e.g.
  // "😀") makes better-auth set a Location header that is not a ByteString: 500 (TypeError).
  { id: "sign-in-callback-url-not-bytestring", matches: (e, o) => e === "POST /api/auth/sign-in/email" && o.status === 500 && logSays(o, /^\[auth\] TypeError/) },
];

export interface Reproducer {
  bug: string;
  title: string;
  kind: EndpointSpec<unknown>["kind"];
  request(w: World): SentRequest;
}

const json = (path: string, body: unknown, headers: Record<string, string> = {}): SentRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** The smallest requests that show each bug (the fuzzer's shrunk counterexamples, tidied). */
export const REPRODUCERS: Reproducer[] = [
  {
    bug: "refresh-grant-rotates-before-scope-check",
    title: "refresh_token grant asking for an ungranted scope",
    kind: "ours",
    request: (w) => ({
      method: "POST",
      path: "/oauth/token",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${w.acme.clientId}:${w.acme.secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: w.resolve("oauthRefreshToken"), scope: "teams" }).toString(),
    }),
  },
  {
    bug: "sign-in-callback-url-not-bytestring",
    title: "callbackURL with an emoji",
    kind: "better-auth",
    request: (w) => json("/api/auth/sign-in/email", { email: w.users.a.email, password: w.resolve("password"), callbackURL: "😀" }, { origin: TEST_ORIGIN }),
  },
];
