import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

describe.each(databaseKinds)("foundation on %s", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("answers health and readiness", async () => {
    const health = await t.app.request("/api/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await t.app.request("/api/ready");
    expect(ready.status).toBe(200);
  });

  it("answers unknown API paths with 404 JSON", async () => {
    const res = await t.app.request("/api/nope", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", error_description: "No such API endpoint" });
  });

  it("signs up, reads the session, signs out, signs in again", async () => {
    const email = `player-${kind}@example.com`;
    const { cookie } = await signUp(t.app, { email, name: "Ahsoka" });
    expect(cookie).toMatch(/session_token=/);
    const session = await t.app.request("/api/auth/get-session", { headers: { cookie } });
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);

    const out = await t.app.request("/api/auth/sign-out", { method: "POST", headers: { cookie, origin: TEST_ORIGIN } });
    expect(out.status).toBe(200);

    const bad = await t.app.request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email, password: "wrong password" }),
    });
    expect(bad.status).toBe(401);

    const good = await t.app.request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email, password: "correct horse battery" }),
    });
    expect(good.status).toBe(200);
    const setCookie = good.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it("refuses passwords shorter than 8 characters", async () => {
    const res = await t.app.request("/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email: `short-${kind}@example.com`, password: "1234567", name: "X" }),
    });
    expect(res.status).toBe(400);
  });

  it("logs requests without credentials", async () => {
    await t.app.request("/api/health?link_token=swbl_secretvalue", { headers: { authorization: "Basic c2VjcmV0", cookie: "a=b" } });
    const line = t.logs.find((l) => l.includes('"path":"/api/health"'));
    expect(line).toBeDefined();
    expect(line).toMatch(/"reqId":"[^"]+"/);
    expect(line).toMatch(/"status":200/);
    expect(line).toMatch(/"durationMs":/);
    expect(t.logs.join("")).not.toContain("swbl_secretvalue");
    expect(t.logs.join("")).not.toContain("c2VjcmV0");
  });
});
