/**
 * The partner client library (src/client) against the real app in process: every call goes
 * through the library with the app's fetch injected, exactly as a partner's server would use it.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AccessTokenCache,
  buildApprovalUrl,
  createPkcePair,
  handleCallback,
  startLink,
  SwubaseClient,
  SwubaseLinkError,
  type FetchLike,
  type GameResultData,
  type StoredTokens,
  type TokenStore,
} from "../../src/client/index.js";
import sampleGame from "../../src/demo/karabast/sample-game.json" with { type: "json" };
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { approveLink, postJson, REDIRECT_URI, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const SCOPES = ["decks", "email", "profile", "teams"];

/** A store that records what the cache does with it. */
function recordingStore() {
  const tokens = new Map<string, StoredTokens>();
  const store = {
    tokens,
    load: vi.fn((id: string) => Promise.resolve(tokens.get(id) ?? null)),
    save: vi.fn(async (id: string, t: StoredTokens) => {
      await new Promise((r) => setTimeout(r, 2)); // a real database takes a moment
      tokens.set(id, { ...t });
    }),
    remove: vi.fn((id: string) => {
      tokens.delete(id);
      return Promise.resolve();
    }),
  } satisfies TokenStore & { tokens: Map<string, StoredTokens> };
  return store;
}

async function expectLinkError(promise: Promise<unknown> | (() => unknown), expected: Partial<SwubaseLinkError>) {
  let caught: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SwubaseLinkError);
  expect(caught).toMatchObject(expected);
  return caught as SwubaseLinkError;
}

describe("partner client library (src/client) against the app", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let partner: { clientId: string; secret: string };
  /** Paths of every request the library sent, in order. */
  const requests: string[] = [];
  const appFetch: FetchLike = async (input, init) => {
    requests.push(new URL(input).pathname);
    return t.app.request(input, init);
  };
  let client: SwubaseClient;
  let n = 0;
  const nextUser = () => `kb-client-${++n}`;
  const countRequests = (path: string) => requests.filter((p) => p === path).length;

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    ({ cookie } = await signUp(t.app, { email: "partner-client@example.com" }));
    client = new SwubaseClient({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, clientSecret: partner.secret, fetch: appFetch });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  /** Approves a link on Swubase and confirms it through the library. */
  async function linked(karabastUserId = nextUser()) {
    const { redirectTo } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: karabastUserId });
    const { linkToken } = handleCallback(redirectTo, { expectedKarabastUserId: karabastUserId });
    return { karabastUserId, tokens: await client.confirmLink({ linkToken, karabastUserId }) };
  }

  describe("buildApprovalUrl", () => {
    it("builds the contract's URL with URLSearchParams (scopes joined by +)", () => {
      const url = buildApprovalUrl({ swubaseUrl: "https://swubase.example/", clientId: "karabast", redirectUri: REDIRECT_URI, scopes: SCOPES, karabastUserId: "kb 1" });
      expect(url).toBe(
        "https://swubase.example/settings/link/karabast?response_type=code&client_id=karabast" +
          "&redirect_uri=https%3A%2F%2Fkarabast.example%2Fapi%2Fswubase%2Fcallback&scope=decks+email+profile+teams&karabast_user_id=kb+1",
      );
      const withExtras = new URL(buildApprovalUrl({ swubaseUrl: TEST_ORIGIN, clientId: "c", redirectUri: REDIRECT_URI, scopes: ["decks"], karabastUserId: "k", state: "s&t", codeChallenge: "abc" }));
      expect([...withExtras.searchParams.keys()]).toEqual(["response_type", "client_id", "redirect_uri", "scope", "karabast_user_id", "state", "code_challenge", "code_challenge_method"]);
      expect(withExtras.searchParams.get("state")).toBe("s&t");
      expect(withExtras.searchParams.get("code_challenge_method")).toBe("S256");
      expect(buildApprovalUrl({ swubaseUrl: "", clientId: "c", redirectUri: "r", scopes: [], karabastUserId: "k" })).toMatch(/^\/settings\/link\/karabast\?/);
      expect(() => buildApprovalUrl({ swubaseUrl: "", clientId: "", redirectUri: "r", scopes: [], karabastUserId: "k" })).toThrow(TypeError);
      expect(() => buildApprovalUrl({ swubaseUrl: "", clientId: "c", redirectUri: "r", scopes: ["decks email"], karabastUserId: "k" })).toThrow(TypeError);
    });

    it("is accepted by the approval page's authorize check", async () => {
      const { codeChallenge } = createPkcePair();
      const url = new URL(buildApprovalUrl({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, redirectUri: REDIRECT_URI, scopes: SCOPES, karabastUserId: "kb-authz", state: "st-1", codeChallenge }));
      expect(url.pathname).toBe("/settings/link/karabast");
      const res = await t.app.request(`/api/integration/authorize${url.search}&integration=karabast`, { headers: { cookie } });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { externalUserId: string; redirectUri: string; state: string; codeChallenge?: string };
      expect(body).toMatchObject({ externalUserId: "kb-authz", redirectUri: REDIRECT_URI, state: "st-1" });
      if ("codeChallenge" in body) expect(body.codeChallenge).toBe(codeChallenge);
    });
  });

  describe("handleCallback", () => {
    it("accepts the redirectTo of link-create, with and without state", async () => {
      const karabastUserId = nextUser();
      const plain = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: karabastUserId });
      expect(handleCallback(plain.redirectTo, { expectedKarabastUserId: karabastUserId })).toEqual({ linkToken: plain.linkToken, karabastUserId });
      // A path with query (as in an incoming request) works as well.
      expect(handleCallback(plain.redirectTo.pathname + plain.redirectTo.search, { expectedKarabastUserId: karabastUserId }).linkToken).toBe(plain.linkToken);

      const withState = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: karabastUserId, state: "csrf-123" });
      expect(handleCallback(withState.redirectTo.toString(), { expectedKarabastUserId: karabastUserId, expectedState: "csrf-123" }).linkToken).toBe(withState.linkToken);
      const mismatch = await expectLinkError(() => handleCallback(withState.redirectTo, { expectedKarabastUserId: karabastUserId, expectedState: "other" }), { code: "state_mismatch" });
      expect(mismatch.message).not.toContain(withState.linkToken);
      await expectLinkError(() => handleCallback(plain.redirectTo, { expectedKarabastUserId: karabastUserId, expectedState: "csrf-123" }), { code: "state_mismatch" });
    });

    it("rejects an error callback (link-deny), a missing link token and another user", async () => {
      const deny = await postJson(t, "/api/integration/link-deny", { clientId: partner.clientId, redirectUri: REDIRECT_URI, state: "s1" }, { cookie, origin: TEST_ORIGIN });
      expect(deny.status).toBe(200);
      const { redirectTo } = (await deny.json()) as { redirectTo: string };
      await expectLinkError(() => handleCallback(redirectTo, { expectedKarabastUserId: "kb-x", expectedState: "s1" }), { code: "access_denied", error: "access_denied" });

      const base = `${REDIRECT_URI}?karabast_user_id=kb-x`;
      await expectLinkError(() => handleCallback(base, { expectedKarabastUserId: "kb-x" }), { code: "missing_link_token" });
      await expectLinkError(() => handleCallback(`${base}&link_token=`, { expectedKarabastUserId: "kb-x" }), { code: "missing_link_token" });
      await expectLinkError(() => handleCallback(`${base}&link_token=swbl_a`, { expectedKarabastUserId: "kb-y" }), { code: "user_mismatch" });
      await expectLinkError(() => handleCallback(`${REDIRECT_URI}?link_token=swbl_a`, { expectedKarabastUserId: "kb-y" }), { code: "user_mismatch" });
      await expectLinkError(() => handleCallback(`${base}&error=invalid_scope&error_description=nope`, { expectedKarabastUserId: "kb-x" }), {
        code: "invalid_scope",
        errorDescription: "nope",
      });
    });
  });

  describe("startLink (state and PKCE by default, RFC 9700 §4.5) with the issuer check (RFC 9207)", () => {
    /** What the approval page sends when the user approves the attempt's URL (its own session). */
    async function approve(url: string, who = cookie) {
      const q = new URL(url).searchParams;
      const res = await postJson(
        t,
        "/api/integration/link-create",
        { clientId: q.get("client_id"), externalUserId: q.get("karabast_user_id"), scopes: q.get("scope"), integration: "karabast", redirectUri: q.get("redirect_uri"),
          state: q.get("state"), codeChallenge: q.get("code_challenge"), codeChallengeMethod: q.get("code_challenge_method") },
        { cookie: who, origin: TEST_ORIGIN },
      );
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { redirectTo: string }).redirectTo;
    }

    it("links with a fresh state and verifier per attempt, and refuses a callback that is not this attempt's", async () => {
      const karabastUserId = nextUser();
      const attempt = startLink({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, redirectUri: REDIRECT_URI, scopes: SCOPES, karabastUserId });
      const again = startLink({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, redirectUri: REDIRECT_URI, scopes: SCOPES, karabastUserId });
      expect(attempt.state).not.toBe(again.state);
      expect(attempt.codeVerifier).not.toBe(again.codeVerifier);
      const query = new URL(attempt.url).searchParams;
      expect(query.get("state")).toBe(attempt.state);
      expect(query.get("code_challenge")).toBe(createHash("sha256").update(attempt.codeVerifier).digest("base64url"));
      expect(attempt.url).not.toContain(attempt.codeVerifier);

      const callback = await approve(attempt.url);
      const expectations = { expectedKarabastUserId: karabastUserId, expectedState: attempt.state, expectedIssuer: TEST_ORIGIN };
      const { linkToken } = handleCallback(callback, expectations);
      const tokens = await client.confirmLink({ linkToken, karabastUserId, codeVerifier: attempt.codeVerifier });
      expect(tokens.access_token).toMatch(/^swba_/);

      // An attacker's own approval for the victim's Karabast id, delivered to her browser: another state (or none) → refused.
      const { cookie: attacker } = await signUp(t.app, { email: "injector@example.com" });
      const injected = await approve(startLink({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, redirectUri: REDIRECT_URI, scopes: SCOPES, karabastUserId }).url, attacker);
      await expectLinkError(() => handleCallback(injected, expectations), { code: "state_mismatch" });
      const stripped = new URL(injected);
      stripped.searchParams.delete("state");
      await expectLinkError(() => handleCallback(stripped, expectations), { code: "state_mismatch" });
      // Even with a guessed state, the attacker's link token needs the victim attempt's verifier to confirm, which it was not made for.
      const injectedToken = new URL(injected).searchParams.get("link_token")!;
      await expectLinkError(client.confirmLink({ linkToken: injectedToken, karabastUserId, codeVerifier: attempt.codeVerifier }), { code: "invalid_grant" });

      // A callback naming another issuer, or none, is refused.
      const otherIssuer = new URL(callback);
      otherIssuer.searchParams.set("iss", "https://evil.example");
      await expectLinkError(() => handleCallback(otherIssuer, expectations), { code: "issuer_mismatch" });
      otherIssuer.searchParams.delete("iss");
      await expectLinkError(() => handleCallback(otherIssuer, expectations), { code: "issuer_mismatch" });
    });
  });

  describe("SwubaseClient", () => {
    it("confirms a link, refreshes and unlinks with snake_case JSON", async () => {
      const { karabastUserId, tokens } = await linked();
      expect(tokens).toEqual({
        access_token: expect.stringMatching(/^swba_/),
        refresh_token: expect.stringMatching(/^swbr_/),
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token_expires_in: 2_592_000,
        scope: "decks email profile teams",
      });

      const refreshed = await client.refresh({ refreshToken: tokens.refresh_token, karabastUserId });
      expect(refreshed.access_token).not.toBe(tokens.access_token);
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

      expect(await client.unlink({ karabastUserId })).toEqual({ success: true, unlinked: true });
      expect(await client.unlink({ karabastUserId })).toEqual({ success: true, unlinked: false });
      await expectLinkError(client.refresh({ refreshToken: refreshed.refresh_token, karabastUserId }), { code: "invalid_grant", status: 400, error: "invalid_grant" });
    });

    it("sends the body the deployed client sends", async () => {
      const bodies: unknown[] = [];
      const spying = new SwubaseClient({
        swubaseUrl: `${TEST_ORIGIN}/`,
        clientId: partner.clientId,
        clientSecret: partner.secret,
        fetch: async (input, init) => {
          expect(init.method).toBe("POST");
          expect(new Headers(init.headers).get("content-type")).toBe("application/json");
          bodies.push(JSON.parse(String(init.body)));
          return appFetch(input, init);
        },
      });
      await spying.unlink({ karabastUserId: "kb-nobody" });
      expect(requests.at(-1)).toBe("/api/integration/unlink");
      expect(bodies).toEqual([{ integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-nobody" }]);
    });

    it("turns a wrong secret into SwubaseLinkError 401 invalid_client, without the secret in the message", async () => {
      const wrong = new SwubaseClient({ swubaseUrl: TEST_ORIGIN, clientId: partner.clientId, clientSecret: "swbs_wrong-secret", fetch: appFetch });
      for (const call of [() => wrong.confirmLink({ linkToken: "swbl_x", karabastUserId: "k" }), () => wrong.refresh({ refreshToken: "swbr_x", karabastUserId: "k" }), () => wrong.unlink({ karabastUserId: "k" })]) {
        const err = await expectLinkError(call, { code: "invalid_client", status: 401, error: "invalid_client" });
        expect(err.errorDescription).toEqual(expect.any(String));
        expect(err.message).not.toContain("swbs_wrong-secret");
      }
      await expectLinkError(client.confirmLink({ linkToken: "swbl_" + "A".repeat(43), karabastUserId: "k" }), { code: "invalid_grant", status: 400 });
    });

    it("reports transport failures and non-JSON answers as typed errors", async () => {
      const down = new SwubaseClient({ swubaseUrl: TEST_ORIGIN, clientId: "c", clientSecret: "s", fetch: () => Promise.reject(new TypeError("fetch failed")) });
      await expectLinkError(down.unlink({ karabastUserId: "k" }), { code: "network_error" });
      const proxy = new SwubaseClient({ swubaseUrl: TEST_ORIGIN, clientId: "c", clientSecret: "s", fetch: () => new Response("<h1>Bad gateway</h1>", { status: 502 }) });
      await expectLinkError(proxy.unlink({ karabastUserId: "k" }), { code: "http_error", status: 502, body: "<h1>Bad gateway</h1>", error: undefined });
      const weird = new SwubaseClient({ swubaseUrl: TEST_ORIGIN, clientId: "c", clientSecret: "s", fetch: () => Response.json({ access_token: "a" }) });
      await expectLinkError(weird.refresh({ refreshToken: "r", karabastUserId: "k" }), { code: "invalid_response" });
    });

    it("confirms with a PKCE verifier when the approval carried a challenge", async () => {
      const pkce = createPkcePair();
      expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pkce.codeChallenge).toBe(createHash("sha256").update(pkce.codeVerifier).digest("base64url"));
      const karabastUserId = nextUser();
      const created = await postJson(
        t,
        "/api/integration/link-create",
        { clientId: partner.clientId, externalUserId: karabastUserId, scopes: "decks", integration: "karabast", codeChallenge: pkce.codeChallenge, codeChallengeMethod: "S256" },
        { cookie, origin: TEST_ORIGIN },
      );
      expect(created.status, await created.clone().text()).toBe(200);
      const { linkToken } = handleCallback(((await created.json()) as { redirectTo: string }).redirectTo, { expectedKarabastUserId: karabastUserId });
      await expectLinkError(client.confirmLink({ linkToken, karabastUserId, codeVerifier: createPkcePair().codeVerifier }), { code: "invalid_grant" });
      const tokens = await client.confirmLink({ linkToken, karabastUserId, codeVerifier: pkce.codeVerifier });
      expect(tokens.access_token).toMatch(/^swba_/);
    });
  });

  describe("AccessTokenCache", () => {
    function cacheAt(start: number, store = recordingStore()) {
      let now = start;
      const cache = new AccessTokenCache({ client, store, now: () => now });
      return { cache, store, advance: (seconds: number) => (now += seconds * 1000) };
    }

    it("serves the seeded token until expires_in − 300 s, then 20 concurrent callers share ONE refresh", async () => {
      const { karabastUserId, tokens } = await linked();
      const { cache, store, advance } = cacheAt(Date.parse("2026-11-25T12:00:00Z"));
      await cache.seed(karabastUserId, tokens);
      expect(store.save).toHaveBeenCalledTimes(1);
      expect(store.tokens.get(karabastUserId)).toMatchObject({ refreshToken: tokens.refresh_token, accessToken: tokens.access_token });

      const before = countRequests("/api/integration/refresh-token");
      expect(await cache.getAccessToken(karabastUserId)).toBe(tokens.access_token);
      advance(3600 - 300 - 1);
      expect(await cache.getAccessToken(karabastUserId)).toBe(tokens.access_token);
      expect(countRequests("/api/integration/refresh-token")).toBe(before);

      advance(2); // past issued + expires_in − 300 s
      store.save.mockClear();
      store.load.mockClear();
      // Some callers start together, others while the refresh is already on its way.
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i < 10 ? cache.getAccessToken(karabastUserId) : new Promise((r) => setTimeout(r, i - 10)).then(() => cache.getAccessToken(karabastUserId)))),
      );
      expect(countRequests("/api/integration/refresh-token")).toBe(before + 1);
      expect(new Set(results).size).toBe(1);
      const fresh = results[0]!;
      expect(fresh).toMatch(/^swba_/);
      expect(fresh).not.toBe(tokens.access_token);
      expect(store.save).toHaveBeenCalledTimes(1);
      expect(store.load).toHaveBeenCalledTimes(1);
      const saved = store.tokens.get(karabastUserId)!;
      expect(saved.accessToken).toBe(fresh);
      expect(saved.refreshToken).not.toBe(tokens.refresh_token);
      expect(saved.scope).toBe("decks email profile teams");

      // Settled flights are forgotten: the next expiry refreshes again, with the new refresh token.
      expect(await cache.getAccessToken(karabastUserId)).toBe(fresh);
      advance(3600);
      const third = await cache.getAccessToken(karabastUserId);
      expect(third).not.toBe(fresh);
      expect(countRequests("/api/integration/refresh-token")).toBe(before + 2);
      expect(store.save).toHaveBeenCalledTimes(2);
    });

    it("forceRefresh rotates now; a second cache on the same store (another server) reuses the stored token", async () => {
      const { karabastUserId, tokens } = await linked();
      const shared = recordingStore();
      const a = cacheAt(Date.now(), shared);
      await a.cache.seed(karabastUserId, tokens);
      const forced = await a.cache.forceRefresh(karabastUserId);
      expect(forced.accessToken).not.toBe(tokens.access_token);
      expect(await a.cache.getAccessToken(karabastUserId)).toBe(forced.accessToken);

      const before = countRequests("/api/integration/refresh-token");
      const b = cacheAt(Date.now(), shared);
      expect(await b.cache.getAccessToken(karabastUserId)).toBe(forced.accessToken);
      expect(countRequests("/api/integration/refresh-token")).toBe(before);
    });

    it("after the user unlinks on Swubase, an expired token throws 'unlinked' and the store forgets the user", async () => {
      const { karabastUserId, tokens } = await linked();
      const { cache, store, advance } = cacheAt(Date.now());
      await cache.seed(karabastUserId, tokens);

      const { links } = (await (await t.app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { id: string; status: string; externalUserId?: string }[] };
      const link = links.find((l) => l.status === "active" && (l.externalUserId === undefined || l.externalUserId === karabastUserId));
      const del = await t.app.request(`/api/me/links/${link!.id}`, { method: "DELETE", headers: { cookie, origin: TEST_ORIGIN } });
      expect(del.status).toBeLessThan(300);

      advance(3600);
      const before = countRequests("/api/integration/refresh-token");
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => cache.getAccessToken(karabastUserId)));
      expect(countRequests("/api/integration/refresh-token")).toBe(before + 1);
      for (const o of outcomes) {
        expect(o.status).toBe("rejected");
        expect((o as PromiseRejectedResult).reason).toMatchObject({ name: "SwubaseLinkError", code: "unlinked", status: 400, error: "invalid_grant" });
      }
      expect(store.remove).toHaveBeenCalledTimes(1);
      expect(store.remove).toHaveBeenCalledWith(karabastUserId);
      expect(store.tokens.has(karabastUserId)).toBe(false);
      await expectLinkError(cache.getAccessToken(karabastUserId), { code: "not_linked" });
    });

    it("keeps the tokens when the refresh fails for a transient reason", async () => {
      const { karabastUserId, tokens } = await linked();
      let down = true;
      const flaky = new SwubaseClient({
        swubaseUrl: TEST_ORIGIN,
        clientId: partner.clientId,
        clientSecret: partner.secret,
        fetch: (input, init) => (down ? Promise.reject(new TypeError("fetch failed")) : appFetch(input, init)),
      });
      let now = Date.now();
      const store = recordingStore();
      const cache = new AccessTokenCache({ client: flaky, store, now: () => now, refreshAheadSeconds: 60 });
      await cache.seed(karabastUserId, tokens);
      now += (3600 - 60) * 1000;
      await expectLinkError(cache.getAccessToken(karabastUserId), { code: "network_error" });
      expect(store.remove).not.toHaveBeenCalled();
      down = false;
      expect(await cache.getAccessToken(karabastUserId)).not.toBe(tokens.access_token);
    });
  });

  describe("reportGameResult", () => {
    it("reports a game with the player's access token", async (ctx) => {
      const { karabastUserId, tokens } = await linked();
      const cache = new AccessTokenCache({ client, store: recordingStore() });
      await cache.seed(karabastUserId, tokens);
      const game = structuredClone(sampleGame) as unknown as GameResultData;
      game.gameId = `client-test-${karabastUserId}`;
      game.players[0]!.data.id = karabastUserId;
      game.players[0]!.data.accessToken = await cache.getAccessToken(karabastUserId);
      game.players[1]!.data.accessToken = null;

      let first;
      try {
        first = await client.reportGameResult(game);
      } catch (err) {
        if (err instanceof SwubaseLinkError && err.status === 404) {
          ctx.skip("POST /api/integration/karabast/game-result is not mounted in this tree yet (404)");
          return;
        }
        throw err;
      }
      expect(first).toMatchObject({ success: true });
      expect(first.duplicate ?? false).toBe(false);
      expect(await client.reportGameResult(game)).toMatchObject({ success: true, duplicate: true });
      await expectLinkError(client.reportGameResult({ ...game, players: [game.players[0]!] }), { code: "invalid_request", status: 400 });
    });
  });
});
