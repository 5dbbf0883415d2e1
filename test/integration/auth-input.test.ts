/**
 * Redirect targets handed to better-auth (callbackURL and friends) are checked before it sees
 * them (src/server/middleware/auth-callback-url.ts): anything that is not visible ASCII or that
 * leaves the site gets 400 JSON naming the field, never a 500 from a Location header.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const PASSWORD = "correct horse battery";

describe.each(databaseKinds)("better-auth redirect targets on %s", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  const email = `callback-${kind}@example.com`;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    await signUp(t.app, { email, password: PASSWORD });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const post = (path: string, body: Record<string, unknown>) =>
    t.app.request(path, { method: "POST", headers: { "content-type": "application/json", origin: TEST_ORIGIN }, body: JSON.stringify(body) });
  const signIn = (extra: Record<string, unknown>) => post("/api/auth/sign-in/email", { email, password: PASSWORD, ...extra });

  async function expectRefused(res: Response, field: string) {
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_request");
    expect(body.error_description).toMatch(new RegExp(`^${field} `));
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  }

  it("refuses sign-in with an emoji callbackURL: 400 JSON naming the field, no session", async () => {
    await expectRefused(await signIn({ callbackURL: "😀" }), "callbackURL");
    await expectRefused(await signIn({ callbackURL: "/settings/😀" }), "callbackURL");
    await expectRefused(await signIn({ callbackURL: `${TEST_ORIGIN}/😀` }), "callbackURL");
  });

  it("refuses sign-up with an emoji callbackURL and creates no account", async () => {
    const fresh = `emoji-signup-${kind}@example.com`;
    await expectRefused(await post("/api/auth/sign-up/email", { email: fresh, password: PASSWORD, name: "Emoji", callbackURL: "😀" }), "callbackURL");
    // The address is still free.
    const again = await post("/api/auth/sign-up/email", { email: fresh, password: PASSWORD, name: "Emoji" });
    expect(again.status).toBe(200);
  });

  it("still signs in with a callbackURL on this site, and redirects there as before", async () => {
    for (const callbackURL of ["/", "/settings/integrations?x=1", `${TEST_ORIGIN}/settings/integrations`]) {
      const res = await signIn({ callbackURL });
      expect(res.status, callbackURL).toBe(200);
      expect(res.headers.get("location")).toBe(callbackURL);
      expect(((await res.json()) as { url: string }).url).toBe(callbackURL);
      expect(res.headers.getSetCookie().join("\n")).toMatch(/session_token=/);
    }
  });

  it("refuses callbackURLs that leave the site or are not plain ASCII", async () => {
    for (const callbackURL of ["https://evil.example/", "//evil.example/", "/\\evil.example", "/%2fevil.example", "javascript:alert(1)", "settings", "/a b", "/é", 42]) {
      await expectRefused(await signIn({ callbackURL }), "callbackURL");
    }
  });

  it("checks newUserCallbackURL, errorCallbackURL and redirectTo the same way", async () => {
    await expectRefused(await signIn({ newUserCallbackURL: "😀" }), "newUserCallbackURL");
    await expectRefused(await signIn({ errorCallbackURL: "https://evil.example/" }), "errorCallbackURL");
    await expectRefused(await post("/api/auth/request-password-reset", { email, redirectTo: "😀" }), "redirectTo");
  });

  it("checks a form-encoded body", async () => {
    const res = await t.app.request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN },
      body: new URLSearchParams({ email, password: PASSWORD, callbackURL: "😀" }).toString(),
    });
    await expectRefused(res, "callbackURL");
  });

  it("refuses NUL in a sign-in body whatever its label (unlabelled, text/plain, form, ambiguous), before the sign-in limiter keys on it", async () => {
    const bodies: [string | undefined, string][] = [
      [undefined, '{"email":"\\u0000","password":"x"}'],
      ["text/plain", '{"email":"a\\u0000@example.com","password":"x"}'],
      ["application/x-www-form-urlencoded", "email=%00&password=x"],
      // The fuzzer's counterexample: an ambiguous label, read as JSON by better-auth.
      ["application/x-www-form-urlencoded, application/json", '{"email":"\\u0000","password":"x","rememberMe":0,"callbackURL":"/"}'],
    ];
    for (const [type, body] of bodies) {
      const res = await t.app.request("/api/auth/sign-in/email", {
        method: "POST",
        headers: { origin: TEST_ORIGIN, ...(type ? { "content-type": type } : {}) },
        body: new TextEncoder().encode(body),
      });
      expect(res.status, `${type}: ${body}`).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description).toBe("the body contains a NUL character or invalid Unicode");
    }
  });

  it("checks callbackURL in the query of better-auth's GET endpoints", async () => {
    await expectRefused(await t.app.request(`/api/auth/verify-email?token=nope&callbackURL=${encodeURIComponent("😀")}`), "callbackURL");
    await expectRefused(await t.app.request(`/api/auth/reset-password/nope?callbackURL=${encodeURIComponent("https://evil.example/")}`), "callbackURL");
    // A target on this site still gets better-auth's own answer (a redirect with the error).
    const ok = await t.app.request("/api/auth/verify-email?token=nope&callbackURL=%2Fsettings");
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toMatch(/^\/settings\?error=/);
  });
});
