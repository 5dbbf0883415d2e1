/** Step 1 of the workflow: where to send the user's browser. */
import { swubaseEndpoint } from "./url.js";

/** Input of {@link buildApprovalUrl}. */
export interface ApprovalUrlOptions {
  /** Swubase's base URL, e.g. `https://swubase.example` (an empty string gives a path on the current origin). */
  swubaseUrl: string | URL;
  /** Your client id, as registered at Swubase. */
  clientId: string;
  /** Your callback URL, registered at Swubase exactly as written here. */
  redirectUri: string;
  /** Requested scopes, e.g. `["decks", "email", "profile", "teams"]`. */
  scopes: readonly string[];
  /** The signed-in user's id on your side (Karabast user id). */
  karabastUserId: string;
  /** Anti-CSRF value that comes back unchanged in the callback; check it with {@link handleCallback}. */
  state?: string;
  /** PKCE S256 challenge (see `createPkcePair`); sent with `code_challenge_method=S256`. */
  codeChallenge?: string;
}

/**
 * Builds the approval page URL exactly as the deployed Karabast client does (with
 * `URLSearchParams`, so scopes are joined by `+`):
 * `{swubaseUrl}/settings/link/karabast?response_type=code&client_id=…&redirect_uri=…&scope=decks+email&karabast_user_id=…[&state=…][&code_challenge=…&code_challenge_method=S256]`.
 * @throws TypeError when a required value is empty or a scope contains whitespace.
 */
export function buildApprovalUrl(options: ApprovalUrlOptions): string {
  const { clientId, redirectUri, scopes, karabastUserId } = options;
  for (const [name, value] of Object.entries({ clientId, redirectUri, karabastUserId }))
    if (!value) throw new TypeError(`buildApprovalUrl: ${name} is required`);
  if (scopes.some((s) => !s || /\s/.test(s))) throw new TypeError("buildApprovalUrl: scopes must be non-empty words without spaces");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(" "),
    karabast_user_id: karabastUserId,
  });
  if (options.state !== undefined) query.set("state", options.state);
  if (options.codeChallenge !== undefined) {
    query.set("code_challenge", options.codeChallenge);
    query.set("code_challenge_method", "S256");
  }
  return `${swubaseEndpoint(options.swubaseUrl, "/settings/link/karabast")}?${query}`;
}
