/**
 * Bugs the fuzzer found and that are reported, not yet fixed. While one is listed, the fuzz
 * properties count the cases it explains instead of failing (matched narrowly, on the answer,
 * its writes or the server's logged cause, so anything else still fails), and its minimal
 * reproducers run as `it.fails` tests.
 * When a fix lands, its reproducers start passing, `it.fails` turns red: delete the entry
 * here and its reproducers.
 */
import type { SentRequest, World } from "./harness.js";
import type { EndpointSpec, KnownBug } from "./runner.js";

// An entry matches narrowly, e.g. `(e, o) => e === "POST /x" && o.status === 500 && o.serverLog.some((l) => /cause/.test(l))`.

export const KNOWN_BUGS: KnownBug[] = [
  // None listed: every bug the fuzzer found so far is fixed (see git log -- test/fuzz/known-bugs.ts).
];

export interface Reproducer {
  bug: string;
  title: string;
  kind: EndpointSpec<unknown>["kind"];
  request(w: World): SentRequest;
}

/** The smallest requests that show each bug (the fuzzer's shrunk counterexamples, tidied). */
export const REPRODUCERS: Reproducer[] = [];
