/**
 * Budgets on better-auth's account endpoints (src/server/middleware/account-limits.ts) with a
 * production configuration: better-auth's own limiter is off (it shared one bucket between all
 * clients without X-Forwarded-For, capped get-session site-wide, and believed any
 * X-Forwarded-For). One address's attempts never block another address; nothing is site-wide.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { limiterSuites, suiteRedis } from "../support/redis.js";
import { buildTestApp, fromPeer, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

/** NODE_ENV=production, as deployed: random secrets (the fixed test ones look like patterns), an http PUBLIC_URL allowed for tests. */
const PRODUCTION = {
  NODE_ENV: "production",
  ALLOW_INSECURE_PUBLIC_URL: "1",
  AUTH_SECRET: randomBytes(32).toString("hex"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  TOKEN_HASH_KEY: randomBytes(32).toString("hex"),
};
const PASSWORD = "correct horse battery";

function from(t: TestApp, peer: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  return t.app.request(
    path,
    {
      method: init.body === undefined ? "GET" : "POST",
      headers: { origin: TEST_ORIGIN, ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    },
    fromPeer(peer),
  );
}
const signIn = (t: TestApp, peer: string, email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
  from(t, peer, "/api/auth/sign-in/email", { body: { email, password }, headers });

describe.each(limiterSuites)("account budgets in production ($kind, counters in the $store)", ({ kind, store }) => {
  const limits = suiteRedis(store);
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const setup = buildTestApp(tdb.database, { redis: limits.redis });
    for (let i = 0; i < 8; i++) await signUp(setup.app, { email: `user${i}@example.com`, password: PASSWORD });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("signs in seven users from seven addresses in a row (no shared bucket)", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: PRODUCTION });
    expect(t.deps.config.isProduction).toBe(true);
    for (let i = 0; i < 7; i++) expect((await signIn(t, `192.0.2.${i + 1}`, `user${i}@example.com`)).status, `user ${i}`).toBe(200);
  });

  it("never limits get-session, site-wide or per address (150 page loads in a few seconds behind one NAT)", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: PRODUCTION });
    const login = await signIn(t, "198.51.100.1", "user7@example.com");
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    for (let i = 0; i < 150; i++) {
      const res = await from(t, "198.51.100.1", "/api/auth/get-session", { headers: { cookie } });
      expect(res.status, `call ${i}`).toBe(200);
    }
  });

  it("one address's failed sign-ins block neither the account's owner elsewhere nor other accounts", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: PRODUCTION });
    for (let i = 0; i < 10; i++) expect((await signIn(t, "203.0.113.66", "user0@example.com", "wrong password")).status).toBe(401);
    const over = await signIn(t, "203.0.113.66", "user0@example.com");
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await over.json()).toMatchObject({ error: "too_many_requests" });
    expect((await signIn(t, "192.0.2.200", "user0@example.com")).status).toBe(200);
    expect((await signIn(t, "192.0.2.201", "user1@example.com")).status).toBe(200);
  });

  it("is not bypassed by a chosen X-Forwarded-For (no trusted proxy)", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: PRODUCTION });
    for (let i = 0; i < 10; i++) expect((await signIn(t, "203.0.113.67", "user2@example.com", "wrong password", { "x-forwarded-for": `10.1.2.${i}` })).status).toBe(401);
    expect((await signIn(t, "203.0.113.67", "user2@example.com", PASSWORD, { "x-forwarded-for": "10.9.9.9" })).status).toBe(429);
  });

  it("budgets failed sign-ins per address across emails (password spraying); successes do not count", async () => {
    // A long hashing wait: the door in front of the hashing queue (password-admission.ts) must not
    // refuse part of the parallel burst below on a slow machine; the budget is the subject here.
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: { ...PRODUCTION, RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_15_MINUTES: "5", PASSWORD_HASH_MAX_WAIT_MS: "30000" } });
    // Successful sign-ins from a busy address (a NAT) use none of it.
    for (let i = 0; i < 8; i++) expect((await signIn(t, "203.0.113.90", `user${i % 8}@example.com`)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn(t, "203.0.113.90", `sprayed${i}@example.com`, "Summer2026!")).status).toBe(401);
    const over = await signIn(t, "203.0.113.90", "user3@example.com");
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: "too_many_requests" });
    // Parallel attempts cannot overrun it either (counted before the password check).
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(t, "203.0.113.91", `burst${i}@example.com`, "Summer2026!")));
    expect(burst.filter((r) => r.status === 401)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(5);
    // Other addresses are not affected.
    expect((await signIn(t, "203.0.113.92", "user3@example.com")).status).toBe(200);
  });

  it("counts change-password against the same per-address budget", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: { ...PRODUCTION, RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_15_MINUTES: "3" } });
    const login = await signIn(t, "203.0.113.95", "user4@example.com");
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const change = (currentPassword: string) =>
      from(t, "203.0.113.95", "/api/auth/change-password", { body: { currentPassword, newPassword: "another horse battery" }, headers: { cookie } });
    for (let i = 0; i < 3; i++) expect((await change(`guess ${i} wrong`)).status).toBe(400);
    expect((await change(PASSWORD)).status).toBe(429);
  });

  it("budgets sign-ups per address", async () => {
    const t = buildTestApp(tdb.database, { redis: limits.redis, env: { ...PRODUCTION, RATE_LIMIT_SIGN_UP_PER_HOUR: "3" } });
    const signUpFrom = (peer: string, email: string, forwardedFor?: string) =>
      from(t, peer, "/api/auth/sign-up/email", { body: { email, password: PASSWORD, name: "New" }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });
    for (let i = 0; i < 3; i++) expect((await signUpFrom("203.0.113.80", `spam${i}@example.com`, `10.0.0.${i}`)).status).toBe(200);
    const over = await signUpFrom("203.0.113.80", "spam9@example.com", "10.0.0.9");
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: "too_many_requests" });
    expect((await signUpFrom("203.0.113.81", "honest@example.com")).status).toBe(200);
  });
});
