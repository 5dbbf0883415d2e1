/**
 * Access tokens per Karabast user, refreshed shortly before they expire, at most one refresh per
 * user at a time. The refresh token lives in your durable store (the source of truth, shared by
 * all your servers); access tokens are also kept in this process's memory.
 */
import { SwubaseLinkError } from "./errors.js";
import type { SwubaseClient } from "./swubase-client.js";
import type { TokenResponse } from "./types.js";

/** What the store keeps per user. */
export interface StoredTokens {
  /** The current refresh token (single use; replaced on every refresh). */
  refreshToken: string;
  accessToken?: string;
  /** When the access token expires, in milliseconds since the epoch (issued + `expires_in`). */
  accessTokenExpiresAt?: number;
  /** Granted scopes, space separated. */
  scope?: string;
}

/** Your durable storage of tokens (database, Redis, …), keyed by Karabast user id. */
export interface TokenStore {
  load(karabastUserId: string): Promise<StoredTokens | null>;
  /** Called with the new pair after each refresh, before the caller gets the access token. */
  save(karabastUserId: string, tokens: StoredTokens): Promise<void>;
  /** Called when Swubase refused a refresh: the user is no longer linked. */
  remove?(karabastUserId: string): Promise<void>;
}

/** Options of {@link AccessTokenCache}. */
export interface AccessTokenCacheOptions {
  client: SwubaseClient;
  store: TokenStore;
  /** Refresh this many seconds before the access token expires (default 300, as the deployed client). */
  refreshAheadSeconds?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

/** A complete set of tokens as held by the cache (the result of a refresh or a seed). */
export type CachedTokens = StoredTokens & { accessToken: string; accessTokenExpiresAt: number };

/**
 * Hands out access tokens per Karabast user. An access token is reused while
 * `now < issued + expires_in − refreshAheadSeconds`; after that the stored refresh token is
 * rotated, the new pair saved with `store.save`, and only then the new access token returned.
 * Concurrent callers for one user share a single refresh (single-flight), so one refresh token
 * is never sent twice by this process. If Swubase refuses the refresh (`invalid_grant`), the
 * user is unlinked: `store.remove` is called and a `SwubaseLinkError` with code `unlinked` thrown.
 * Other failures (network, 5xx) are rethrown unchanged and the stored tokens kept, so a later
 * call retries; if `store.save` fails, Swubase's grace window returns the same pair to a retry
 * with the previous refresh token.
 */
export class AccessTokenCache {
  readonly #client: SwubaseClient;
  readonly #store: TokenStore;
  readonly #aheadMs: number;
  readonly #now: () => number;
  readonly #memory = new Map<string, CachedTokens>();
  readonly #inflight = new Map<string, Promise<CachedTokens>>();

  constructor(options: AccessTokenCacheOptions) {
    this.#client = options.client;
    this.#store = options.store;
    this.#aheadMs = (options.refreshAheadSeconds ?? 300) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A valid access token for the user, refreshed first when it is (about to be) expired.
   * @throws SwubaseLinkError `unlinked` when Swubase refused the refresh, `not_linked` when the store has nothing.
   */
  async getAccessToken(karabastUserId: string): Promise<string> {
    const cached = this.#memory.get(karabastUserId);
    if (cached && this.#fresh(cached)) return cached.accessToken;
    return (await this.#singleFlight(karabastUserId, false)).accessToken;
  }

  /**
   * Rotates the user's tokens now, whatever their age (joins a refresh already in flight).
   * @throws SwubaseLinkError as {@link AccessTokenCache.getAccessToken}.
   */
  forceRefresh(karabastUserId: string): Promise<CachedTokens> {
    return this.#singleFlight(karabastUserId, true);
  }

  /** Stores a freshly confirmed pair (the answer of `confirmLink`) in the store and the cache. */
  async seed(karabastUserId: string, tokens: TokenResponse): Promise<CachedTokens> {
    const entry = this.#entry(tokens);
    await this.#store.save(karabastUserId, entry);
    this.#memory.set(karabastUserId, entry);
    return entry;
  }

  /** Drops the user's tokens from memory and, when the store supports it, from the store (e.g. after `unlink`). */
  async forget(karabastUserId: string): Promise<void> {
    this.#memory.delete(karabastUserId);
    await this.#store.remove?.(karabastUserId);
  }

  #fresh(tokens: StoredTokens): tokens is CachedTokens {
    return !!tokens.accessToken && tokens.accessTokenExpiresAt !== undefined && this.#now() < tokens.accessTokenExpiresAt - this.#aheadMs;
  }

  #entry(tokens: TokenResponse, issuedAt = this.#now()): CachedTokens {
    return {
      refreshToken: tokens.refresh_token,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: issuedAt + tokens.expires_in * 1000,
      scope: tokens.scope,
    };
  }

  #singleFlight(karabastUserId: string, force: boolean): Promise<CachedTokens> {
    const pending = this.#inflight.get(karabastUserId);
    if (pending) return pending;
    const flight = this.#obtain(karabastUserId, force).finally(() => {
      if (this.#inflight.get(karabastUserId) === flight) this.#inflight.delete(karabastUserId);
    });
    this.#inflight.set(karabastUserId, flight);
    return flight;
  }

  async #obtain(karabastUserId: string, force: boolean): Promise<CachedTokens> {
    // The store is the source of truth: another server may have refreshed already.
    const stored = await this.#store.load(karabastUserId);
    if (!stored?.refreshToken) {
      this.#memory.delete(karabastUserId);
      throw new SwubaseLinkError("not_linked", `No Swubase tokens are stored for ${karabastUserId}; the user must link first.`);
    }
    if (!force && this.#fresh(stored)) {
      this.#memory.set(karabastUserId, stored);
      return stored;
    }
    let tokens: TokenResponse;
    const issuedAt = this.#now();
    try {
      tokens = await this.#client.refresh({ refreshToken: stored.refreshToken, karabastUserId });
    } catch (cause) {
      if (!(cause instanceof SwubaseLinkError && cause.error === "invalid_grant")) throw cause;
      this.#memory.delete(karabastUserId);
      await this.#store.remove?.(karabastUserId);
      throw new SwubaseLinkError("unlinked", `Swubase refused the refresh (${cause.errorDescription ?? cause.error}); the user must link again.`, {
        status: cause.status,
        error: cause.error,
        errorDescription: cause.errorDescription,
        body: cause.body,
        cause,
      });
    }
    const entry = { ...this.#entry(tokens, issuedAt), scope: tokens.scope || stored.scope };
    await this.#store.save(karabastUserId, entry);
    this.#memory.set(karabastUserId, entry);
    return entry;
  }
}
