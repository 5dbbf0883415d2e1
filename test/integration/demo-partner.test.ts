import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDemoClient } from "../../src/demo/karabast/demo-client.js";
import { createApp } from "../../src/server/app.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { buildTestApp, signUp, TEST_ORIGIN, testConfig, type TestApp } from "../support/test-app.js";

describe("demo partner (development only)", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    const demo = await registerDemoClient(t.deps.services.clients, t.deps.config.publicUrl);
    app = createApp({ ...t.deps, demo });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("walks the contract's flow: connect URL, callback with link_token, refresh, unlink", async () => {
    const home = await app.request("/demo/karabast");
    expect(home.status).toBe(200);
    const demoCookie = home.headers.getSetCookie()[0]!.split(";")[0]!;
    const page = await home.text();
    const connect = /href="(\/settings\/link\/karabast\?[^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const query = new URL(connect, TEST_ORIGIN).searchParams;
    expect(connect).toContain("scope=decks+email+profile+teams");
    expect(query.get("response_type")).toBe("code");
    expect(query.get("client_id")).toBe("karabast-demo");
    const kbId = query.get("karabast_user_id")!;

    const { cookie } = await signUp(app, { email: "demo@example.com" });
    const created = await app.request("/api/integration/link-create", {
      method: "POST",
      headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ clientId: "karabast-demo", externalUserId: kbId, scopes: query.get("scope"), integration: "karabast", metadata: {}, redirectUri: query.get("redirect_uri") }),
    });
    const { redirectTo } = (await created.json()) as { redirectTo: string };
    const callback = new URL(redirectTo);
    expect(callback.pathname).toBe("/demo/karabast/callback");

    const cb = await app.request(callback.pathname + callback.search, { headers: { cookie: demoCookie } });
    expect(cb.status).toBe(303);
    const notice = cb.headers.getSetCookie().join(";");
    const linked = await app.request("/demo/karabast", { headers: { cookie: `${demoCookie}; ${notice.split(";")[0]}` } });
    const linkedPage = await linked.text();
    expect(linkedPage).toContain("Linked to Swubase");
    expect(linkedPage).toContain("Refresh now");

    const refreshed = await app.request("/demo/karabast/refresh", { method: "POST", headers: { cookie: demoCookie, origin: TEST_ORIGIN } });
    expect(refreshed.status).toBe(303);
    expect(decodeURIComponent(refreshed.headers.getSetCookie().join(";"))).toContain("Tokens refreshed");

    // A sample game goes out with the demo user's access token (from the library's token cache).
    const reported = await app.request("/demo/karabast/report-game", { method: "POST", headers: { cookie: demoCookie, origin: TEST_ORIGIN } });
    expect(reported.status).toBe(303);
    const reportNotice = decodeURIComponent(reported.headers.getSetCookie().join(";"));
    if (!reportNotice.includes("Game report failed (404)")) {
      expect(reportNotice).toContain("Sample game reported");
      expect(await (await app.request("/demo/karabast", { headers: { cookie: demoCookie } })).text()).toMatch(/demo-[0-9a-f]{16} \(stored\)/);
    }

    const crossSite = await app.request("/demo/karabast/refresh", { method: "POST", headers: { cookie: demoCookie, origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);

    // Unlink in Swubase settings: the demo's next refresh fails and it shows itself unlinked.
    const { links } = (await (await app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { id: string; status: string }[] };
    await app.request(`/api/me/links/${links.find((l) => l.status === "active")!.id}`, { method: "DELETE", headers: { cookie, origin: TEST_ORIGIN } });
    const failed = await app.request("/demo/karabast/refresh", { method: "POST", headers: { cookie: demoCookie, origin: TEST_ORIGIN } });
    expect(decodeURIComponent(failed.headers.getSetCookie().join(";"))).toContain("Refresh failed (400)");
    expect(decodeURIComponent(failed.headers.getSetCookie().join(";"))).toContain("invalid_grant");
    const after = await (await app.request("/demo/karabast", { headers: { cookie: demoCookie } })).text();
    expect(after).toContain('data-testid="not-linked"');
  });

  it("refuses a callback for another Karabast user or without link_token", async () => {
    const home = await app.request("/demo/karabast");
    const demoCookie = home.headers.getSetCookie()[0]!.split(";")[0]!;
    const other = await app.request("/demo/karabast/callback?link_token=swbl_x&karabast_user_id=kb-000000000000", { headers: { cookie: demoCookie } });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain("different Karabast user");
    const none = await app.request("/demo/karabast/callback?karabast_user_id=x", { headers: { cookie: demoCookie } });
    expect(await none.text()).toContain("No link_token");
  });

  it("is not mounted in production", async () => {
    const prod = createApp({ ...t.deps, config: { ...testConfig(), isProduction: true }, demo: { clientId: "karabast-demo", secret: "x", redirectUri: "x" } });
    expect((await prod.request("/demo/karabast")).status).toBe(404);
  });
});
