/**
 * Issue 13, item 5: a legitimate partner is never refused because of others. The per-address
 * failure budgets (failed client authentication, invalid tokens, unauthenticated) refuse only
 * requests that fail; a partner with valid credentials is subject only to its own per-partner
 * budget, whose defaults sit far above Karabast's real traffic (300 refreshes/s for 10 s pass).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPartnerLimiter } from "../../src/server/rate-limit/limiters.js";
import { limiterSuites, suiteRedis } from "../support/redis.js";
import { karabastGameResultBody } from "../support/karabast-report.js";
import type { TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { buildTestApp, fromPeer, signUp, TEST_ORIGIN, testConfig, type TestApp } from "../support/test-app.js";

/** Every request of a test comes from this one TCP peer (no TRUSTED_PROXIES): attacker, partner and user alike. */
function from(peer: string) {
  const env = fromPeer(peer);
  return {
    post: (t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) =>
      t.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, env),
    get: (t: TestApp, path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers }, env),
  };
}

describe.each(limiterSuites)("per-address budgets never refuse a valid partner ($kind, counters in the $store)", ({ kind, store }) => {
  const limits = suiteRedis(store);
  const suite = partnerSuite(kind);

  it("an anonymous caller exhausting every per-address budget from the partner's address: refresh, game result and link-confirm still 200", async () => {
    // Default budgets: 10 failed client authentications, 30 invalid tokens, 60 unauthenticated per minute.
    const t = buildTestApp(suite.tdb.database, { redis: limits.redis });
    const peer = from("198.51.100.20");
    const { cookie } = await signUp(t.app, { email: "shared-address@example.com" });
    const approve = (externalUserId: string) =>
      peer.post(t, "/api/integration/link-create", { clientId: suite.partner.clientId, externalUserId, scopes: "decks email profile teams", integration: "karabast" }, { cookie, origin: TEST_ORIGIN });
    const confirmVia = (linkToken: string, externalUserId: string) =>
      peer.post(t, "/api/integration/link-confirm", { client_id: suite.partner.clientId, client_secret: suite.partner.secret, link_token: linkToken, external_user_id: externalUserId, integration: "karabast" });
    const first = (await (await approve("kb-shared-1")).json()) as { linkToken: string };
    const tokens = (await (await confirmVia(first.linkToken, "kb-shared-1")).json()) as TokenBody;

    const badSecret = () => peer.post(t, "/api/integration/unlink", { client_id: suite.partner.clientId, client_secret: "wrong", external_user_id: "x" });
    const badBearer = () => peer.get(t, "/oauth/userinfo", { authorization: "Bearer swba_not-a-token" });
    const noSession = () => peer.get(t, "/api/me/links");
    for (let i = 0; i < 10; i++) expect((await badSecret()).status).toBe(401);
    for (let i = 0; i < 30; i++) expect((await badBearer()).status).toBe(401);
    for (let i = 0; i < 60; i++) expect((await noSession()).status).toBe(401);
    for (const attempt of [badSecret, badBearer, noSession]) {
      const over = await attempt();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // A credential-less partner call and Basic credentials with a wrong secret are failed authentications too.
    expect((await peer.post(t, "/api/integration/unlink", { external_user_id: "x" })).status).toBe(429);

    const refreshed = await peer.post(t, "/api/integration/refresh-token", {
      client_id: suite.partner.clientId,
      client_secret: suite.partner.secret,
      refresh_token: tokens.refresh_token,
      external_user_id: "kb-shared-1",
      integration: "karabast",
    });
    expect(refreshed.status, await refreshed.clone().text()).toBe(200);
    const { access_token } = (await refreshed.json()) as TokenBody;

    const game = await peer.post(
      t,
      "/api/integration/karabast/game-result",
      karabastGameResultBody(suite.partner, { gameId: "shared-address-1", lobbyId: "lobby-1", winners: ["kb-shared-1"], players: [{ id: "kb-shared-1", accessToken: access_token, deckLeader: { id: "L1" }, base: { id: "B1" } }, { id: "kb-other" }] }),
    );
    expect(game.status, await game.clone().text()).toBe(200);
    expect(await game.json()).toMatchObject({ success: true });

    // A signed-in user at that address approves (a session is proof too), and the partner confirms.
    const second = await approve("kb-shared-2");
    expect(second.status).toBe(200);
    const confirmed = await confirmVia(((await second.json()) as { linkToken: string }).linkToken, "kb-shared-2");
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);

    // The anonymous caller is still refused.
    for (const attempt of [badSecret, badBearer, noSession]) expect((await attempt()).status).toBe(429);
  });

  it("the partner's own invalid refresh tokens count against its own budget, not against the address", async () => {
    const t = buildTestApp(suite.tdb.database, { redis: limits.redis });
    const peer = from("198.51.100.21");
    for (let i = 0; i < 10; i++) expect((await peer.post(t, "/api/integration/unlink", { client_id: suite.partner.clientId, client_secret: "wrong", external_user_id: "x" })).status).toBe(401);
    const unknown = await peer.post(t, "/api/integration/refresh-token", { client_id: suite.partner.clientId, client_secret: suite.partner.secret, refresh_token: "swbr_unknown", external_user_id: "kb-x", integration: "karabast" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("default budgets: 400 valid partner calls at once are all answered (the old 100/s + 200 refused 100)", async () => {
    const t = buildTestApp(suite.tdb.database, { redis: limits.redis });
    const peer = from("198.51.100.22");
    const results = await Promise.all(
      Array.from({ length: 400 }, () => peer.post(t, "/api/integration/unlink", { client_id: suite.partner.clientId, client_secret: suite.partner.secret, external_user_id: "nobody" })),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  });
});

describe("the per-partner ceiling with default settings", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Drives the limiter with 'perSecond' calls per fake second, spread over the second; returns refusals per second. */
  async function sustained(config: { partnerPerSecond: number; partnerBurst: number }, perSecond: number, seconds: number): Promise<number[]> {
    vi.useFakeTimers({ now: new Date("2026-11-25T12:00:00Z") });
    const limiter = createPartnerLimiter(config);
    const refused: number[] = [];
    for (let s = 0; s < seconds; s++) {
      let n = 0;
      for (let i = 0; i < perSecond; i++) {
        await limiter.consume("karabast").catch(() => n++);
        vi.advanceTimersByTime(1000 / perSecond);
      }
      refused.push(n);
    }
    return refused;
  }

  it("300 refreshes per second for 10 s: none refused", async () => {
    const defaults = testConfig({}).rateLimits!;
    expect(await sustained(defaults, 300, 10)).toEqual(Array(10).fill(0));
  });

  it("the previous defaults (100/s + 200) refused most of them; a leaked secret at 5,000/s is still capped", async () => {
    const old = await sustained({ partnerPerSecond: 100, partnerBurst: 200 }, 300, 3);
    expect(old[1]).toBeGreaterThan(150);
    // 500/s plus the 1,500 reserve refilled every 3 s: at most ~1,000/s sustained get through.
    const leaked = await sustained(testConfig({}).rateLimits!, 5000, 6);
    const accepted = 6 * 5000 - leaked.reduce((a, b) => a + b, 0);
    expect(accepted).toBeLessThanOrEqual(6 * 1000 + 500);
  });
});
