/**
 * How long past its expiry an access token is still accepted: our clock and the partner's differ
 * (the deployed Karabast client decides validity from its own clock, ../shared/karabast-contract.md).
 * Applies wherever an access token is checked: game attribution, userinfo, introspection.
 */
const ACCESS_TOKEN_LEEWAY_SECONDS = 60;

/** An access token is live at `now` when it expires after this instant. */
export function accessTokenCutoff(now: Date): Date {
  return new Date(now.getTime() - ACCESS_TOKEN_LEEWAY_SECONDS * 1000);
}
