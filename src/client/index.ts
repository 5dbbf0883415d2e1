/**
 * Swubase Link partner client: everything a partner's (Karabast's) Node server needs to link
 * its users to Swubase and report games. No dependencies: Node built-ins and the global fetch.
 *
 * @example
 * ```ts
 * // src/client has no dependencies: copy the folder into your server (here as ./swubase-link).
 * import { AccessTokenCache, SwubaseClient, handleCallback, startLink } from "./swubase-link/index.js";
 *
 * const swubaseUrl = "https://swubase.example";
 * const client = new SwubaseClient({ swubaseUrl, clientId: "karabast", clientSecret: process.env.SWUBASE_SECRET! });
 * const tokens = new AccessTokenCache({ client, store: myTokenStore }); // load/save/remove in your database
 *
 * // "Connect Swubase": a fresh state and PKCE pair per attempt, kept in the user's session.
 * const attempt = startLink({ swubaseUrl, clientId: "karabast", redirectUri: "https://karabast.example/api/swubase/callback",
 *   scopes: ["decks", "email", "profile", "teams"], karabastUserId: user.id });
 * session.swubaseLink = { state: attempt.state, codeVerifier: attempt.codeVerifier };
 * res.redirect(attempt.url);
 *
 * // The callback: check it (state, issuer, user), confirm the link server to server, keep the tokens.
 * const { linkToken } = handleCallback(req.url, { expectedKarabastUserId: user.id, expectedState: session.swubaseLink.state,
 *   expectedIssuer: swubaseUrl }); // throws SwubaseLinkError
 * const pair = await client.confirmLink({ linkToken, karabastUserId: user.id, codeVerifier: session.swubaseLink.codeVerifier });
 * await tokens.seed(user.id, pair);
 *
 * // Later, e.g. when a game ends: a valid access token (one refresh per user at a time).
 * const accessToken = await tokens.getAccessToken(user.id); // SwubaseLinkError "unlinked": link again
 * await client.reportGameResult(gameData); // players[i].data.accessToken = accessToken
 * ```
 *
 * Errors: every function throws {@link SwubaseLinkError}; switch on `code` (`access_denied`,
 * `missing_link_token`, `user_mismatch`, `state_mismatch`, `issuer_mismatch`, `unlinked`, `invalid_client`, …) and
 * read `status`, `error`, `errorDescription` for Swubase's answers.
 */
export { buildApprovalUrl, type ApprovalUrlOptions } from "./approval-url.js";
export { handleCallback, type CallbackExpectations, type CallbackResult } from "./callback.js";
export { isSwubaseLinkError, SwubaseLinkError, type SwubaseLinkErrorCode, type SwubaseLinkErrorDetails } from "./errors.js";
export type { FetchLike } from "./http.js";
export { createPkcePair, pkceChallenge, type PkcePair } from "./pkce.js";
export { startLink, type LinkAttempt } from "./start-link.js";
export { SwubaseClient, type SwubaseClientOptions } from "./swubase-client.js";
export { AccessTokenCache, type AccessTokenCacheOptions, type CachedTokens, type StoredTokens, type TokenStore } from "./token-cache.js";
export type { CardMetrics, GameResultData, GameResultPlayer, GameResultResponse, TokenResponse, UnlinkResponse } from "./types.js";
