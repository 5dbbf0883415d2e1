/** PKCE (RFC 7636) for standard OAuth clients; the deployed Karabast client does not use it. */
import { createHash, randomBytes } from "node:crypto";

/** A PKCE verifier and its S256 challenge. */
export interface PkcePair {
  /** Keep it server-side (e.g. in the session) and send it with `confirmLink`. */
  codeVerifier: string;
  /** Put it in the approval URL (`buildApprovalUrl({ codeChallenge })`). */
  codeChallenge: string;
  codeChallengeMethod: "S256";
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
}

/** Creates a fresh verifier (32 random bytes, 43 base64url characters) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString("base64url");
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier), codeChallengeMethod: "S256" };
}
