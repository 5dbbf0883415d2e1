/**
 * The secure way to start a link (RFC 9700 §4.5, §2.1.1): a fresh `state` and a PKCE S256 pair
 * for every attempt. Keep both server-side with the attempt (e.g. in the user's session), check
 * the callback with `handleCallback({ expectedState, expectedIssuer })`, and send the verifier with
 * `confirmLink`. Without them, an attacker can approve a link on his own Swubase account and make a
 * victim's browser deliver the callback (link-token injection): her games would go to him.
 */
import { randomBytes } from "node:crypto";
import { buildApprovalUrl, type ApprovalUrlOptions } from "./approval-url.js";
import { createPkcePair } from "./pkce.js";

/** What a link attempt must remember until its callback. */
export interface LinkAttempt {
  /** Where to send the browser. */
  url: string;
  /** Compare with the callback's `state` (`handleCallback({ expectedState })`). */
  state: string;
  /** Send with `confirmLink({ codeVerifier })`; never put it in a URL. */
  codeVerifier: string;
}

/** Builds the approval URL with a new random `state` and PKCE challenge. */
export function startLink(options: Omit<ApprovalUrlOptions, "state" | "codeChallenge">): LinkAttempt {
  const state = randomBytes(32).toString("base64url");
  const pkce = createPkcePair();
  return { url: buildApprovalUrl({ ...options, state, codeChallenge: pkce.codeChallenge }), state, codeVerifier: pkce.codeVerifier };
}
