import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, postJson, REDIRECT_URI, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

describe.each(databaseKinds)("approval: authorize, link-create, link-deny, my links (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let partner: { clientId: string; secret: string };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    ({ cookie } = await signUp(t.app, { email: "approver@example.com", name: "Rey" }));
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const authorize = (query: string) => t.app.request(`/api/integration/authorize?${query}`, { headers: { cookie } });

  it("describes a valid request exactly as the deployed client builds it", async () => {
    const query = new URLSearchParams({
      response_type: "code",
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: "decks email profile teams",
      karabast_user_id: "kb-1",
    }).toString();
    expect(query).toContain("scope=decks+email+profile+teams");
    const res = await authorize(`${query}&integration=karabast`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { client: { name: string }; externalUserId: string; scopes: { name: string; description: string }[]; state: null };
    expect(body.client.name).toBe("Karabast");
    expect(body.externalUserId).toBe("kb-1");
    expect(body.scopes.map((s) => s.name)).toEqual(["decks", "email", "profile", "teams"]);
    expect(body.scopes[0]!.description).toMatch(/decks/i);
    expect(body.state).toBeNull();
  });

  it("requires a session", async () => {
    const res = await t.app.request(`/api/integration/authorize?client_id=${partner.clientId}`);
    expect(res.status).toBe(401);
  });

  it.each([
    ["unknown client", `client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&karabast_user_id=k`],
    ["missing client", `redirect_uri=${encodeURIComponent(REDIRECT_URI)}&karabast_user_id=k`],
    ["redirect prefix", `client_id=karabast&redirect_uri=${encodeURIComponent(REDIRECT_URI + "/x")}&karabast_user_id=k`],
    ["redirect trailing slash", `client_id=karabast&redirect_uri=${encodeURIComponent(REDIRECT_URI + "/")}&karabast_user_id=k`],
    ["redirect case", `client_id=karabast&redirect_uri=${encodeURIComponent(REDIRECT_URI.toUpperCase())}&karabast_user_id=k`],
    ["redirect other host", `client_id=karabast&redirect_uri=${encodeURIComponent("https://evil.example/api/swubase/callback")}&karabast_user_id=k`],
    ["redirect with query", `client_id=karabast&redirect_uri=${encodeURIComponent(REDIRECT_URI + "?x=1")}&karabast_user_id=k`],
    ["redirect truncated", `client_id=karabast&redirect_uri=${encodeURIComponent(REDIRECT_URI.slice(0, -1))}&karabast_user_id=k`],
    ["wrong integration", `client_id=karabast&integration=other&karabast_user_id=k`],
  ])("never redirects for %s", async (_name, query) => {
    const res = await authorize(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toMatch(/invalid_(request|client)/);
    expect(body).not.toHaveProperty("redirectTo");
  });

  it("sends scope errors back to the partner with the state", async () => {
    const res = await authorize(`client_id=karabast&scope=decks+admin&karabast_user_id=k&state=xyz`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; redirectTo: string };
    expect(body.error).toBe("invalid_scope");
    const to = new URL(body.redirectTo);
    expect(to.origin + to.pathname).toBe(REDIRECT_URI);
    expect(to.searchParams.get("error")).toBe("invalid_scope");
    expect(to.searchParams.get("state")).toBe("xyz");
  });

  it("sends a missing karabast_user_id back as invalid_request", async () => {
    const res = await authorize(`client_id=karabast&scope=decks`);
    const body = (await res.json()) as { error: string; redirectTo: string };
    expect(body.error).toBe("invalid_request");
    expect(new URL(body.redirectTo).searchParams.get("error")).toBe("invalid_request");
  });

  it("creates a link and redirects with every spelling of the token and the state", async () => {
    const { linkToken, redirectTo } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-7", state: "s1" });
    expect(linkToken).toMatch(/^swbl_[A-Za-z0-9_-]{43}$/);
    expect(redirectTo.origin + redirectTo.pathname).toBe(REDIRECT_URI);
    expect(redirectTo.searchParams.get("link_token")).toBe(linkToken);
    expect(redirectTo.searchParams.get("linkToken")).toBe(linkToken);
    expect(redirectTo.searchParams.get("code")).toBe(linkToken);
    expect(redirectTo.searchParams.get("karabast_user_id")).toBe("kb-7");
    expect(redirectTo.searchParams.get("state")).toBe("s1");
  });

  it("accepts the camelCase body of the workflow document and scopes as an array", async () => {
    const res = await postJson(
      t,
      "/api/integration/link-create",
      { clientId: "karabast", karabastUserId: "kb-8", scopes: ["decks", "teams"], integration: "karabast", metadata: {}, redirectUri: REDIRECT_URI },
      { cookie, origin: TEST_ORIGIN },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses cross-origin and signed-out link-create", async () => {
    const body = { clientId: "karabast", externalUserId: "kb-9", scopes: "decks", integration: "karabast", metadata: {} };
    const cross = await postJson(t, "/api/integration/link-create", body, { cookie, origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: string }).error).toBe("access_denied");
    const noOrigin = await postJson(t, "/api/integration/link-create", body, { cookie });
    expect(noOrigin.status).toBe(403);
    const sameSite = await postJson(t, "/api/integration/link-create", body, { cookie, "sec-fetch-site": "same-origin" });
    expect(sameSite.status).toBe(200);
    const anon = await postJson(t, "/api/integration/link-create", body, { origin: TEST_ORIGIN });
    expect(anon.status).toBe(401);
  });

  it.each([
    [{ clientId: "karabast", externalUserId: "k", scopes: "decks admin" }, "invalid_scope"],
    [{ clientId: "nope", externalUserId: "k" }, "invalid_client"],
    [{ clientId: "karabast", externalUserId: "k", redirectUri: "https://evil.example/cb" }, "invalid_request"],
    [{ clientId: "karabast", externalUserId: 12 }, "invalid_request"],
    [{ clientId: "karabast", externalUserId: "k", metadata: "x" }, "invalid_request"],
    [{ externalUserId: "k" }, "invalid_request"],
  ])("rejects bad link-create input %#", async (body, error) => {
    const res = await postJson(t, "/api/integration/link-create", body, { cookie, origin: TEST_ORIGIN });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(error);
  });

  it("rejects malformed bodies with JSON errors", async () => {
    const headers = { cookie, origin: TEST_ORIGIN };
    const bad = await t.app.request("/api/integration/link-create", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    const arr = await t.app.request("/api/integration/link-create", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "[1]" });
    expect(arr.status).toBe(400);
    const type = await t.app.request("/api/integration/link-create", { method: "POST", headers: { ...headers, "content-type": "text/plain" }, body: "x" });
    expect(type.status).toBe(415);
    const big = await t.app.request("/api/integration/link-create", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ clientId: "karabast", pad: "x".repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe("payload_too_large");
  });

  it("denies: back to the partner with access_denied and the state", async () => {
    const res = await postJson(t, "/api/integration/link-deny", { clientId: "karabast", state: "st" }, { cookie, origin: TEST_ORIGIN });
    expect(res.status).toBe(200);
    const to = new URL(((await res.json()) as { redirectTo: string }).redirectTo);
    expect(to.searchParams.get("error")).toBe("access_denied");
    expect(to.searchParams.get("state")).toBe("st");
    const evil = await postJson(t, "/api/integration/link-deny", { clientId: "karabast", redirectUri: "https://evil.example" }, { cookie, origin: TEST_ORIGIN });
    expect(evil.status).toBe(400);
  });

  it("approving again replaces the pending link; my links list only my own", async () => {
    const { cookie: other } = await signUp(t.app, { email: "other@example.com" });
    const first = await approveLink(t, other, { clientId: "karabast", externalUserId: "kb-x" });
    const second = await approveLink(t, other, { clientId: "karabast", externalUserId: "kb-y" });
    expect(first.linkToken).not.toBe(second.linkToken);
    const list = await t.app.request("/api/me/links", { headers: { cookie: other } });
    const { links } = (await list.json()) as { links: { id: string; externalUserId: string; status: string; clientName: string }[] };
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ externalUserId: "kb-y", status: "pending", clientName: "Karabast" });

    // Someone else cannot unlink it.
    const stranger = await t.app.request(`/api/me/links/${links[0]!.id}`, { method: "DELETE", headers: { cookie, origin: TEST_ORIGIN } });
    expect(stranger.status).toBe(404);
    const cross = await t.app.request(`/api/me/links/${links[0]!.id}`, { method: "DELETE", headers: { cookie: other, origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
    const mine = await t.app.request(`/api/me/links/${links[0]!.id}`, { method: "DELETE", headers: { cookie: other, origin: TEST_ORIGIN } });
    expect(mine.status).toBe(200);
    const again = await t.app.request(`/api/me/links/${links[0]!.id}`, { method: "DELETE", headers: { cookie: other, origin: TEST_ORIGIN } });
    expect(again.status).toBe(404);
  });
});
