import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimits } from "../../src/server/rate-limit/limiters.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { connectRedis } from "../../src/server/rate-limit/redis.js";
import { countRedisKeys, deleteRedisKeys, limiterSuites, suiteRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, testConfig, type TestApp } from "../support/test-app.js";

describe.each(limiterSuites)("rate limits ($kind, counters in the $store)", ({ kind, store }) => {
  const limits = suiteRedis(store);
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, {
      redis: limits.redis,
      env: { RATE_LIMIT_PARTNER_PER_SECOND: "20", RATE_LIMIT_PARTNER_BURST: "10", RATE_LIMIT_LINK_CREATE_PER_MINUTE: "3", RATE_LIMIT_SIGN_IN_PER_15_MINUTES: "4" },
    });
    partner = await registerPartner(t);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("blocks an IP's failed client authentications after 10, never the right secret", async () => {
    const attempt = (secret: string) => postJson(t, "/api/integration/unlink", { client_id: "karabast", client_secret: secret, external_user_id: "x" });
    for (let i = 0; i < 10; i++) expect((await attempt("wrong")).status).toBe(401);
    const over = await attempt("wrong");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ error: "too_many_requests" });
    // Valid credentials prove who calls: never refused for the failures at its address (issue 13, item 5).
    expect((await attempt(partner.secret)).status).toBe(200);
    expect((await attempt("wrong")).status).toBe(429);
  });

  it("budgets a partner per client: sustained rate plus burst, then 429", async () => {
    const t2 = buildTestApp(tdb.database, { redis: limits.redis, env: { RATE_LIMIT_PARTNER_PER_SECOND: "20", RATE_LIMIT_PARTNER_BURST: "10" } });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => postJson(t2, "/api/integration/unlink", { client_id: "karabast", client_secret: partner.secret, external_user_id: "nobody" })),
    );
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429).length;
    expect(ok).toBe(30);
    expect(limited).toBe(10);
  });

  it("never throttles a partner's invalid refresh tokens at the per-IP budget", async () => {
    const t3 = buildTestApp(tdb.database, { redis: limits.redis });
    for (let i = 0; i < 40; i++) expect((await refresh(t3, partner, `swbr_unknown${i}`, "kb")).status).toBe(400);
  });

  it("limits link-create per user and sign-in per IP and email", async () => {
    // A fresh instance: this test's requests come from the same (test) address as the blocked ones above.
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: { RATE_LIMIT_LINK_CREATE_PER_MINUTE: "3", RATE_LIMIT_SIGN_IN_PER_15_MINUTES: "4" } });
    const { cookie } = await signUp(t.app, { email: "limited@example.com", password: "correct horse battery" });
    for (let i = 0; i < 3; i++) await approveLink(t, cookie, { clientId: "karabast", externalUserId: `kb-${i}` });
    const fourth = await postJson(t, "/api/integration/link-create", { clientId: "karabast", externalUserId: "kb-9" }, { cookie, origin: TEST_ORIGIN });
    expect(fourth.status).toBe(429);

    const signIn = (password: string) => postJson(t, "/api/auth/sign-in/email", { email: "limited@example.com", password }, { origin: TEST_ORIGIN });
    for (let i = 0; i < 4; i++) expect((await signIn("wrong password")).status).toBe(401);
    expect((await signIn("correct horse battery")).status).toBe(429);
    // Another email from the same IP has its own budget.
    expect((await postJson(t, "/api/auth/sign-in/email", { email: "other@example.com", password: "whatever1" }, { origin: TEST_ORIGIN })).status).toBe(401);
  });

  it("budgets unauthenticated requests per IP", async () => {
    const t4 = buildTestApp(tdb.database, { redis: limits.redis, env: { RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: "5" } });
    for (let i = 0; i < 5; i++) expect((await t4.app.request("/api/me/links")).status).toBe(401);
    expect((await t4.app.request("/api/me/links")).status).toBe(429);
  });

  it("budgets 404s on /api/public per address; over it, every public lookup (a public handle too) is 429 with Retry-After", async () => {
    const env = { RATE_LIMIT_PUBLIC_NOT_FOUND_PER_15_MINUTES: "4" };
    const t6 = buildTestApp(tdb.database, { redis: limits.redis, env });
    const { cookie } = await signUp(t6.app, { email: "open-book@example.com" });
    const made = await t6.app.request("/api/me/profile", {
      method: "PATCH",
      headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ handle: "Open_Book", publicStats: true }),
    });
    expect(made.status, await made.clone().text()).toBe(200);
    const lookup = (path: string) => t6.app.request(`/api/public/${path}`);
    // Lookups that find a public profile never count.
    for (let i = 0; i < 6; i++) expect((await lookup("open_book/stats")).status).toBe(200);
    // Unknown handles, one too long to exist, an unknown path under /api/public: 4 × 404, the budget.
    for (const path of ["nobody-1/stats", "NOBODY-2/stats", `${"x".repeat(31)}/stats`, "open_book/nothing-here"]) expect((await lookup(path)).status, path).toBe(404);
    const over = await lookup("nobody-3/stats");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ error: "too_many_requests" });
    // While blocked, a public handle answers 429 too: a 200 among the 429s would tell which handles exist.
    const known = await lookup("open_book/stats");
    expect(known.status).toBe(429);
    expect(Number(known.headers.get("retry-after"))).toBeGreaterThan(0);
    // The count is shared: another instance refuses this address's next 404 (and then knows the block).
    const t7 = buildTestApp(tdb.database, { redis: limits.redis, env });
    expect((await t7.app.request("/api/public/nobody-4/stats")).status).toBe(429);
    expect((await t7.app.request("/api/public/open_book/stats")).status).toBe(429);
    // The signed-in user's own endpoints are not part of this budget.
    expect((await t6.app.request("/api/me/profile", { headers: { cookie } })).status).toBe(200);
  });

  it("can be turned off", async () => {
    const off = buildTestApp(tdb.database, { redis: limits.redis, env: { RATE_LIMITS: "off" } });
    expect(off.deps.rateLimits).toBeNull();
    for (let i = 0; i < 12; i++) expect((await postJson(off, "/api/integration/unlink", { client_id: "karabast", client_secret: "no", external_user_id: "x" })).status).toBe(401);
  });

  it("keeps a well-behaved partner's link flow unaffected", async () => {
    const t5 = buildTestApp(tdb.database, { redis: limits.redis });
    const { cookie } = await signUp(t5.app, { email: "flow@example.com" });
    const { linkToken } = await approveLink(t5, cookie, { clientId: "karabast", externalUserId: "kb-flow" });
    const tokens = (await (await confirm(t5, partner, linkToken, "kb-flow")).json()) as TokenBody;
    expect((await refresh(t5, partner, tokens.refresh_token, "kb-flow")).status).toBe(200);
  });
});

describe.skipIf(!TEST_REDIS_URL)("rate limits in Redis (TEST_REDIS_URL)", () => {
  const prefix = uniqueRedisPrefix();
  const connections: Redis[] = [];
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL!, prefix);
  });

  it("shares counters between instances (each with its own connection), under the key prefix only, and the keys can be deleted", async () => {
    const config = testConfig({ RATE_LIMIT_FAILED_AUTH_PER_MINUTE: "3" }).rateLimits!;
    for (let i = 0; i < 2; i++) connections.push(await connectRedis({ url: TEST_REDIS_URL!, keyPrefix: prefix }));
    const refused: string[] = [];
    const a = createRateLimits(config, { redis: connections[0]! }, (limiter) => refused.push(limiter));
    const b = createRateLimits(config, { redis: connections[1]! }); // a second instance
    await a.consume("failedAuth", "203.0.113.9");
    await b.consume("failedAuth", "203.0.113.9");
    await a.consume("failedAuth", "203.0.113.9");
    await expect(a.consume("failedAuth", "203.0.113.9")).rejects.toMatchObject({ error: "too_many_requests", status: 429 });
    expect(refused).toEqual(["failedAuth"]);
    // b never saw the block happen: it learns it from Redis.
    await expect(b.consume("failedAuth", "203.0.113.9")).rejects.toMatchObject({ status: 429 });
    expect(await countRedisKeys(TEST_REDIS_URL!, prefix)).toBe(1);
    expect(await countRedisKeys(TEST_REDIS_URL!, "rl:failedAuth:203.0.113.9")).toBe(0); // nothing outside the prefix
    expect(await deleteRedisKeys(TEST_REDIS_URL!, prefix)).toBe(1);
    expect(await countRedisKeys(TEST_REDIS_URL!, prefix)).toBe(0);
  });
});

describe("rate limits with Redis unreachable", () => {
  it("refuses to start: connectRedis names REDIS_URL", async () => {
    await expect(connectRedis({ url: "redis://127.0.0.1:1" })).rejects.toThrow(/^Redis at REDIS_URL is not answering: .*ECONNREFUSED/);
  });

  it("counts in the instance's memory while Redis is down, instead of failing the request", async () => {
    const { Redis: RedisClient } = await import("ioredis");
    // A client whose server went away after start-up: every command fails at once.
    const down = new RedisClient("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    try {
      const limits = createRateLimits(testConfig({ RATE_LIMIT_FAILED_AUTH_PER_MINUTE: "2" }).rateLimits!, { redis: down });
      await limits.consume("failedAuth", "203.0.113.10");
      await limits.consume("failedAuth", "203.0.113.10");
      await expect(limits.consume("failedAuth", "203.0.113.10")).rejects.toMatchObject({ error: "too_many_requests", status: 429 });
      await limits.refund("failedAuth", "203.0.113.10");
    } finally {
      down.disconnect();
    }
  });
});
