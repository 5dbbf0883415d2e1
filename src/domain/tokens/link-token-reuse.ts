/**
 * What a link token presented again means: a pure decision, no I/O (the token service does the
 * lookup, the revocation, the decryption and the audit).
 *
 * The deployed Karabast client's player may load the callback URL twice (reload, back button):
 * the same link token, by the same client, for the same external user, seconds after its first
 * confirmation. On the Karabast door (`link_token`) that answers the link's current pair for
 * `LINK_CONFIRM_RETRY_SECONDS`. Every other reuse is refused; a reuse by the client the token was
 * issued to revokes the link it activated (RFC 6749 §4.1.2) — on the OAuth door
 * (`authorization_code`) at any time, on the Karabast door after the window. A reuse by another
 * client, or inside the window for another external user, is refused and revokes nothing.
 */
import type { LinkStatus } from "../../db/schema.js";

/** How long after its first successful confirmation a link token confirmed again gets the same pair. */
export const LINK_CONFIRM_RETRY_SECONDS = 60;

/** The link a used link token activated, as far as the decision needs it. */
export interface UsedLinkToken {
  clientId: string;
  externalUserId: string;
  status: LinkStatus;
  linkedAt: Date | null;
  /** The PKCE challenge of the authorization request (kept after activation). */
  codeChallenge: string | null;
  accessTokenCiphertext: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenCiphertext: string | null;
  refreshTokenExpiresAt: Date | null;
}

export interface LinkTokenReuseRequest {
  /** `link_token`: the Karabast door (link-confirm); `authorization_code`: the OAuth token endpoint. */
  grant: "link_token" | "authorization_code";
  clientId: string;
  externalUserId: string | null;
  /** BASE64URL(SHA256(code_verifier)) of this request, null without a verifier (see `verifierChallenge`). */
  verifierChallenge: string | null;
  now: Date;
}

export type LinkTokenReuse =
  /** Answer the link's current pair (from its stored ciphertexts). */
  | { action: "retry" }
  | { action: "refuse"; detail: string }
  /** Revoke the link the token activated, then refuse. */
  | { action: "revoke"; detail: string };

/**
 * The outcome for a link token that could not be exchanged: `used` is the link it already
 * activated, or null when it activated none.
 */
export function decideLinkTokenReuse(used: UsedLinkToken | null, request: LinkTokenReuseRequest): LinkTokenReuse {
  if (!used) return { action: "refuse", detail: "link token unknown, expired, or not for this client/user" };
  if (used.clientId !== request.clientId) return { action: "refuse", detail: "link token reused by another client" };

  const sinceLinked = used.linkedAt === null ? Infinity : request.now.getTime() - used.linkedAt.getTime();
  if (request.grant === "link_token" && sinceLinked <= LINK_CONFIRM_RETRY_SECONDS * 1000) {
    if (request.externalUserId !== used.externalUserId) return { action: "refuse", detail: "link token confirmed again for another external user" };
    if (request.verifierChallenge !== used.codeChallenge) return { action: "refuse", detail: "link token confirmed again without the first confirmation's code verifier" };
    if (used.status !== "active") return { action: "refuse", detail: "link token confirmed again: its link is no longer active" };
    const hasPair =
      used.accessTokenCiphertext !== null &&
      used.refreshTokenCiphertext !== null &&
      used.accessTokenExpiresAt !== null &&
      used.refreshTokenExpiresAt !== null &&
      used.refreshTokenExpiresAt > request.now;
    if (!hasPair) return { action: "refuse", detail: "link token confirmed again: its link holds no live pair" };
    return { action: "retry" };
  }
  return request.grant === "authorization_code"
    ? { action: "revoke", detail: "authorization code reused: its tokens were revoked" }
    : { action: "revoke", detail: "link token reused after the retry window: its link was revoked" };
}
