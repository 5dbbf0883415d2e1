/** The server-to-server calls of the contract (section B), with the deployed client's snake_case JSON. */
import { SwubaseLinkError } from "./errors.js";
import { postJson, type FetchLike } from "./http.js";
import type { GameResultData, GameResultResponse, TokenResponse, UnlinkResponse } from "./types.js";
import { swubaseEndpoint } from "./url.js";

/** Options of {@link SwubaseClient}. */
export interface SwubaseClientOptions {
  /** Swubase's base URL, e.g. `https://swubase.example`. */
  swubaseUrl: string | URL;
  /** Your client id. */
  clientId: string;
  /** Your client secret; keep it on your server only. */
  clientSecret: string;
  /** Defaults to the global `fetch`; inject an in-process app's fetch in tests. */
  fetch?: FetchLike;
  /** Per-request timeout in milliseconds (default 15 000). */
  timeoutMs?: number;
}

/**
 * Calls Swubase from your server: link confirmation, refresh, unlink and game results. Every
 * method POSTs `{ integration: "karabast", client_id, client_secret, … }` and throws a
 * {@link SwubaseLinkError} on any non-2xx answer (with `status`, `error`, `errorDescription`).
 */
export class SwubaseClient {
  readonly swubaseUrl: string;
  readonly clientId: string;
  readonly #clientSecret: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;

  constructor(options: SwubaseClientOptions) {
    if (!options.clientId || !options.clientSecret) throw new TypeError("SwubaseClient: clientId and clientSecret are required");
    this.swubaseUrl = String(options.swubaseUrl).replace(/\/+$/, "");
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  /**
   * Exchanges the link token from the callback for the first token pair. Store the refresh token
   * durably (e.g. `AccessTokenCache.seed`). `codeVerifier` only for clients that sent a PKCE challenge.
   * @throws SwubaseLinkError `invalid_grant` (400) for an unknown, used or expired link token.
   */
  async confirmLink(input: { linkToken: string; karabastUserId: string; codeVerifier?: string }): Promise<TokenResponse> {
    const body: Record<string, unknown> = { link_token: input.linkToken, external_user_id: input.karabastUserId };
    if (input.codeVerifier !== undefined) body.code_verifier = input.codeVerifier;
    return tokenResponse(await this.#post("/api/integration/link-confirm", body));
  }

  /**
   * Rotates the refresh token: the answer holds a new access token and a new refresh token, which
   * replaces the one sent. Prefer `AccessTokenCache`, which refreshes once per user at a time.
   * @throws SwubaseLinkError `invalid_grant` (400) when the link is gone: the user must link again.
   */
  async refresh(input: { refreshToken: string; karabastUserId: string }): Promise<TokenResponse> {
    return tokenResponse(await this.#post("/api/integration/refresh-token", { refresh_token: input.refreshToken, external_user_id: input.karabastUserId }));
  }

  /** Reports a finished game (`data` as in the contract). A repeated `gameId` answers `duplicate: true`. */
  async reportGameResult(data: GameResultData): Promise<GameResultResponse> {
    return (await this.#post("/api/integration/karabast/game-result", { data })) as GameResultResponse;
  }

  /** Ends the user's link from your side. Idempotent: `unlinked` is false when there was no link. */
  async unlink(input: { karabastUserId: string }): Promise<UnlinkResponse> {
    return (await this.#post("/api/integration/unlink", { external_user_id: input.karabastUserId })) as UnlinkResponse;
  }

  #post(path: string, fields: Record<string, unknown>): Promise<unknown> {
    const body = { integration: "karabast", client_id: this.clientId, client_secret: this.#clientSecret, ...fields };
    return postJson(this.#fetch, swubaseEndpoint(this.swubaseUrl, path), body, this.#timeoutMs);
  }
}

function tokenResponse(json: unknown): TokenResponse {
  const t = (json ?? {}) as Partial<Record<keyof TokenResponse, unknown>>;
  if (typeof t.access_token !== "string" || typeof t.refresh_token !== "string" || typeof t.expires_in !== "number" || !(t.expires_in > 0))
    throw new SwubaseLinkError("invalid_response", "Swubase's token answer lacks access_token, refresh_token or expires_in");
  return {
    access_token: t.access_token,
    refresh_token: t.refresh_token,
    token_type: typeof t.token_type === "string" ? t.token_type : "Bearer",
    expires_in: t.expires_in,
    ...(typeof t.refresh_token_expires_in === "number" ? { refresh_token_expires_in: t.refresh_token_expires_in } : {}),
    scope: typeof t.scope === "string" ? t.scope : "",
  };
}
