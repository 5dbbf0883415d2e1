/**
 * Bugs the fuzzer found and that are reported, not yet fixed. While one is listed, the fuzz
 * properties count the cases it explains instead of failing (matched narrowly, on the answer,
 * its writes or the server's logged cause, so anything else still fails), and its minimal
 * reproducers run as `it.fails` tests.
 * When a fix lands, its reproducers start passing, `it.fails` turns red: delete the entry
 * here and its reproducers.
 */
import { TEST_ORIGIN, type SentRequest, type World } from "./harness.js";
import type { EndpointSpec, KnownBug, Outcome } from "./runner.js";

const logSays = (o: Outcome, pattern: RegExp) => o.serverLog.some((l) => pattern.test(l));

export const KNOWN_BUGS: KnownBug[] = [
  // KNOWN BUG: signInLimit (src/server/middleware/abuse-guard.ts) reads the sign-in body as JSON
  // whatever its content type, while rejectUnsafeInput checks only bodies labelled JSON: an email
  // holding NUL in a body without a content type becomes a rate_limit key PostgreSQL refuses: 500.
  {
    id: "sign-in-limit-nul-email-unlabelled-body",
    matches: (e, o) => e === "POST /api/auth/sign-in/email" && o.status === 500 && logSays(o, /insert into "rate_limit".*0x00/),
  },
];

export interface Reproducer {
  bug: string;
  title: string;
  kind: EndpointSpec<unknown>["kind"];
  request(w: World): SentRequest;
}

/** The smallest requests that show each bug (the fuzzer's shrunk counterexamples, tidied). */
export const REPRODUCERS: Reproducer[] = [
  {
    bug: "sign-in-limit-nul-email-unlabelled-body",
    title: "sign-in body without a content type, email holding NUL",
    kind: "better-auth",
    request: () => ({ method: "POST", path: "/api/auth/sign-in/email", headers: { origin: TEST_ORIGIN }, body: new TextEncoder().encode('{"email":"\\u0000","password":"x"}') }),
  },
];
