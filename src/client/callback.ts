/** Step 4 of the workflow: the browser comes back to your redirect URI. */
import { SwubaseLinkError } from "./errors.js";

/** Checks of {@link handleCallback}. */
export interface CallbackExpectations {
  /** The Karabast user signed in on your side; the callback must be for this user. */
  expectedKarabastUserId: string;
  /** The `state` you put in the approval URL (`startLink` makes one); the callback must carry the same value. */
  expectedState?: string;
  /**
   * Swubase's issuer (its base URL, the `issuer` of `/.well-known/oauth-authorization-server`):
   * the callback's `iss` must equal it (RFC 9207), so a callback from another server, or a
   * mix-up between two, is refused.
   */
  expectedIssuer?: string;
}

/** What a valid callback carries. */
export interface CallbackResult {
  /** Exchange it with `SwubaseClient.confirmLink` (single use, short-lived). */
  linkToken: string;
  /** The Karabast user the link was approved for (equal to `expectedKarabastUserId`). */
  karabastUserId: string;
}

/**
 * Reads the callback URL (full URL, or path plus query) the way the deployed client does:
 * `link_token` (also `linkToken` or `code`) and `karabast_user_id`.
 * @throws SwubaseLinkError with code `state_mismatch` when `expectedState` is given and differs;
 *   `issuer_mismatch` when `expectedIssuer` is given and `iss` differs or is missing;
 *   the callback's `error` value (e.g. `access_denied`) when Swubase reports a failure;
 *   `missing_link_token`; `user_mismatch` when `karabast_user_id` is not the signed-in user.
 */
export function handleCallback(callbackUrl: string | URL, expectations: CallbackExpectations): CallbackResult {
  const query = new URL(callbackUrl, "http://callback.invalid").searchParams;
  const text = (name: string) => query.get(name) || undefined;

  // State first: a callback we did not ask for is refused before anything in it is believed.
  if (expectations.expectedState !== undefined && text("state") !== expectations.expectedState)
    throw new SwubaseLinkError("state_mismatch", "The callback's state does not match the one sent with the approval URL.");

  // RFC 9207 §2.4: Swubase always sends `iss`; a missing or different one is not our answer.
  if (expectations.expectedIssuer !== undefined && text("iss") !== expectations.expectedIssuer)
    throw new SwubaseLinkError("issuer_mismatch", "The callback's iss does not name the expected Swubase server.");

  const error = text("error");
  if (error) {
    const errorDescription = text("error_description");
    throw new SwubaseLinkError(error, `Swubase answered: ${error}${errorDescription ? ` (${errorDescription})` : ""}`, { error, errorDescription });
  }

  const linkToken = text("link_token") ?? text("linkToken") ?? text("code");
  if (!linkToken) throw new SwubaseLinkError("missing_link_token", "No link_token in the callback.");

  const karabastUserId = text("karabast_user_id");
  if (karabastUserId !== expectations.expectedKarabastUserId)
    throw new SwubaseLinkError("user_mismatch", "The link was approved for a different Karabast user.");

  return { linkToken, karabastUserId };
}
