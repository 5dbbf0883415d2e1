import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, basic, confirm, postForm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, type TestApp } from "../support/test-app.js";

describe.each(databaseKinds)("link-confirm, refresh-token, unlink (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let partner: { clientId: string; secret: string };
  let otherPartner: { clientId: string; secret: string };
  const clock = fakeClock();
  let n = 0;
  const nextId = () => `kb-${++n}`;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    partner = await registerPartner(t);
    otherPartner = await registerPartner(t, { clientId: "other-partner" });
    ({ cookie } = await signUp(t.app, { email: "linker@example.com" }));
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  async function linked(externalUserId = nextId()) {
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    return { externalUserId, tokens: (await res.json()) as TokenBody };
  }

  it("confirms with the deployed client's snake_case JSON", async () => {
    const externalUserId = nextId();
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as TokenBody;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^swba_[A-Za-z0-9_-]{59}$/),
      refresh_token: expect.stringMatching(/^swbr_[A-Za-z0-9_-]{59}$/),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token_expires_in: 2_592_000,
      scope: "decks email profile teams",
    });
    // Single use: the same client confirming it again for the same user seconds later (the
    // callback loaded twice) gets the same pair (test/integration/link-confirm-retry.test.ts)...
    const again = await confirm(t, partner, linkToken, externalUserId);
    expect(again.status).toBe(200);
    expect(((await again.json()) as TokenBody).refresh_token).toBe(body.refresh_token);
    // ...anyone else is refused.
    const other = await confirm(t, otherPartner, linkToken, externalUserId);
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it.each([
    ["camelCase JSON with karabastUserId", "json", "body", (tok: string, id: string) => ({ clientId: "karabast", clientSecret: "", linkToken: tok, karabastUserId: id, integration: "karabast" })],
    ["camelCase JSON with externalUserId", "json", "body", (tok: string, id: string) => ({ clientId: "karabast", clientSecret: "", linkToken: tok, externalUserId: id })],
    ["snake_case form", "form", "body", (tok: string, id: string) => ({ client_id: "karabast", client_secret: "", link_token: tok, external_user_id: id })],
    ["Basic credentials, JSON", "json", "basic", (tok: string, id: string) => ({ link_token: tok, external_user_id: id, integration: "karabast" })],
    ["Basic credentials, form with code", "form", "basic", (tok: string, id: string) => ({ code: tok, karabast_user_id: id })],
  ] as const)("confirms with %s", async (_name, encoding, credentials, build) => {
    const externalUserId = nextId();
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const body: Record<string, string> = { ...build(linkToken, externalUserId) };
    if ("clientSecret" in body) body.clientSecret = partner.secret;
    if ("client_secret" in body) body.client_secret = partner.secret;
    const headers: Record<string, string> = credentials === "basic" ? { authorization: basic(partner.clientId, partner.secret) } : {};
    const res = encoding === "json" ? await postJson(t, "/api/integration/link-confirm", body, headers) : await postForm(t, "/api/integration/link-confirm", body, headers);
    expect(res.status, await res.clone().text()).toBe(200);
    const tokens = (await res.json()) as TokenBody;
    // Refresh in the other spelling works too.
    const r = await postJson(t, "/api/integration/refresh-token", { clientId: "karabast", clientSecret: partner.secret, refreshToken: tokens.refresh_token, karabastUserId: externalUserId });
    expect(r.status).toBe(200);
  });

  it("answers wrong client credentials with 401 invalid_client", async () => {
    const cases = [
      postJson(t, "/api/integration/link-confirm", { client_id: "karabast", client_secret: "wrong", link_token: "x", external_user_id: "y" }),
      postJson(t, "/api/integration/link-confirm", { client_id: "nobody", client_secret: partner.secret, link_token: "x", external_user_id: "y" }),
      postJson(t, "/api/integration/link-confirm", { link_token: "x", external_user_id: "y" }),
      postJson(t, "/api/integration/refresh-token", { client_id: "karabast", client_secret: otherPartner.secret, refresh_token: "x", external_user_id: "y" }),
      postJson(t, "/api/integration/unlink", { client_id: "karabast", client_secret: 42, external_user_id: "y" }),
      postJson(t, "/api/integration/link-confirm", { link_token: "x", external_user_id: "y" }, { authorization: basic("karabast", "wrong") }),
      postJson(t, "/api/integration/link-confirm", { link_token: "x", external_user_id: "y" }, { authorization: "Bearer abc" }),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
    }
    const withBasic = await postJson(t, "/api/integration/link-confirm", {}, { authorization: basic("karabast", "wrong") });
    expect(withBasic.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("gives one invalid_grant answer for every unusable link token", async () => {
    const externalUserId = nextId();
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const answers = await Promise.all([
      confirm(t, partner, linkToken, "someone-else"),
      confirm(t, otherPartner, linkToken, externalUserId),
      confirm(t, partner, "swbl_" + "A".repeat(43), externalUserId),
      confirm(t, partner, linkToken.slice(0, -1) + (linkToken.endsWith("A") ? "B" : "A"), externalUserId),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    for (const [i, r] of answers.entries()) expect(r.status, JSON.stringify(bodies[i])).toBe(400);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect((bodies[0] as { error: string }).error).toBe("invalid_grant");
    // Those failures did not consume it.
    expect((await confirm(t, partner, linkToken, externalUserId)).status).toBe(200);
  });

  it("expires link tokens after LINK_TOKEN_TTL_SECONDS", async () => {
    const externalUserId = nextId();
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    clock.advance(601);
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("rejects missing and malformed fields precisely", async () => {
    const creds = { client_id: "karabast", client_secret: partner.secret };
    const expectError = async (body: unknown, description: RegExp, status = 400) => {
      const res = await postJson(t, "/api/integration/link-confirm", body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error_description: string }).error_description).toMatch(description);
    };
    await expectError({ ...creds, external_user_id: "k" }, /link_token is required/);
    await expectError({ ...creds, link_token: "x" }, /external_user_id is required/);
    await expectError({ ...creds, link_token: 5, external_user_id: "k" }, /link_token must be a string/);
    await expectError({ ...creds, link_token: "x", external_user_id: "k", integration: "other" }, /integration must be "karabast"/);
    await expectError({ ...creds, link_token: "x", linkToken: "y", external_user_id: "k" }, /different values/);
    await expectError({ ...creds, link_token: "x".repeat(600), external_user_id: "k" }, /too long/);
  });

  it("50 concurrent confirmations of one token: one activation, every answer the same pair", async () => {
    const externalUserId = nextId();
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const results = await Promise.all(Array.from({ length: 50 }, () => confirm(t, partner, linkToken, externalUserId)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as TokenBody[];
    expect(new Set(bodies.map((b) => `${b.access_token} ${b.refresh_token}`)).size).toBe(1);
    const { links } = (await (await t.app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { externalUserId: string; status: string }[] };
    expect(links.filter((l) => l.externalUserId === externalUserId).map((l) => l.status)).toEqual(["active"]);
    expect((await refresh(t, partner, bodies[0]!.refresh_token, externalUserId)).status).toBe(200);
  });

  it("two Swubase users confirming links for one Karabast user at once: no error, one active link", async () => {
    const { cookie: otherCookie } = await signUp(t.app, { email: "second-linker@example.com" });
    for (let round = 0; round < 5; round++) {
      const externalUserId = nextId();
      const a = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
      const b = await approveLink(t, otherCookie, { clientId: partner.clientId, externalUserId });
      const answers = await Promise.all([confirm(t, partner, a.linkToken, externalUserId), confirm(t, partner, b.linkToken, externalUserId)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      const pairs = (await Promise.all(answers.map((r) => r.json()))) as TokenBody[];
      // Whichever committed last replaced the other: exactly one pair still refreshes.
      const refreshed = await Promise.all(pairs.map((p) => refresh(t, partner, p.refresh_token, externalUserId)));
      expect(refreshed.map((r) => r.status).sort()).toEqual([200, 400]);
    }
  });

  it("rotates refresh tokens, and 50 concurrent refreshes of one token get one identical pair", async () => {
    const { externalUserId, tokens } = await linked();
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(t, partner, tokens.refresh_token, externalUserId)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as TokenBody[];
    const pairs = new Set(bodies.map((b) => `${b.access_token} ${b.refresh_token}`));
    expect(pairs.size).toBe(1);
    expect(bodies[0]!.refresh_token).not.toBe(tokens.refresh_token);
    expect(bodies.every((b) => b.expires_in > 300)).toBe(true);

    // The new refresh token works and rotates again.
    const next = await refresh(t, partner, bodies[0]!.refresh_token, externalUserId);
    expect(next.status).toBe(200);
  });

  it("a crash-retry with the previous token inside the grace window gets the same pair", async () => {
    const { externalUserId, tokens } = await linked();
    const first = (await (await refresh(t, partner, tokens.refresh_token, externalUserId)).json()) as TokenBody;
    clock.advance(60);
    const retry = await refresh(t, partner, tokens.refresh_token, externalUserId);
    expect(retry.status).toBe(200);
    const again = (await retry.json()) as TokenBody;
    expect(again.access_token).toBe(first.access_token);
    expect(again.refresh_token).toBe(first.refresh_token);
    expect(again.expires_in).toBe(3600 - 60);
  });

  it("replay after the grace window: invalid_grant, and the link's tokens are dead", async () => {
    const { externalUserId, tokens } = await linked();
    const rotated = (await (await refresh(t, partner, tokens.refresh_token, externalUserId)).json()) as TokenBody;
    clock.advance(121);
    const replay = await refresh(t, partner, tokens.refresh_token, externalUserId);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
    // The current refresh token died with it (reuse detection revokes the link).
    expect((await refresh(t, partner, rotated.refresh_token, externalUserId)).status).toBe(400);
    expect(await t.deps.services.tokens.userinfo(rotated.access_token)).toBeNull();
  });

  it("replay of an old token after its successor was used is reuse, even inside the grace window", async () => {
    const { externalUserId, tokens } = await linked();
    const second = (await (await refresh(t, partner, tokens.refresh_token, externalUserId)).json()) as TokenBody;
    const third = (await (await refresh(t, partner, second.refresh_token, externalUserId)).json()) as TokenBody;
    expect(third.refresh_token).not.toBe(second.refresh_token);
    const replay = await refresh(t, partner, tokens.refresh_token, externalUserId);
    expect(replay.status).toBe(400);
    expect((await refresh(t, partner, third.refresh_token, externalUserId)).status).toBe(400);
  });

  it("refuses a refresh token presented with another external user id or by another client", async () => {
    const { externalUserId, tokens } = await linked();
    expect((await refresh(t, partner, tokens.refresh_token, "someone-else")).status).toBe(400);
    expect((await refresh(t, otherPartner, tokens.refresh_token, externalUserId)).status).toBe(400);
    expect((await refresh(t, partner, tokens.refresh_token, externalUserId)).status).toBe(200);
  });

  it("expires refresh tokens after REFRESH_TOKEN_TTL_SECONDS", async () => {
    const { externalUserId, tokens } = await linked();
    clock.advance(30 * 86_400 + 1);
    expect((await refresh(t, partner, tokens.refresh_token, externalUserId)).status).toBe(400);
  });

  it("confirming a new link revokes the older link of the same external user and of the same user", async () => {
    const externalUserId = nextId();
    const old = await linked(externalUserId);
    // Same Karabast account approved again (same Swubase user): the old pair dies.
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    expect((await confirm(t, partner, linkToken, externalUserId)).status).toBe(200);
    expect((await refresh(t, partner, old.tokens.refresh_token, externalUserId)).status).toBe(400);
    // The same Swubase user links another Karabast account: the previous link is revoked.
    const next = await linked();
    const res = await t.app.request("/api/me/links", { headers: { cookie } });
    const { links } = (await res.json()) as { links: { externalUserId: string; status: string }[] };
    expect(links.filter((l) => l.status === "active").map((l) => l.externalUserId)).toEqual([next.externalUserId]);
  });

  it("unlink from the partner side is idempotent and kills the tokens", async () => {
    const { externalUserId, tokens } = await linked();
    const body = { client_id: "karabast", client_secret: partner.secret, external_user_id: externalUserId, integration: "karabast" };
    const first = await postJson(t, "/api/integration/unlink", body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ success: true, unlinked: true });
    const second = await postJson(t, "/api/integration/unlink", { clientId: "karabast", clientSecret: partner.secret, karabastUserId: externalUserId });
    expect(await second.json()).toEqual({ success: true, unlinked: false });
    expect((await refresh(t, partner, tokens.refresh_token, externalUserId)).status).toBe(400);
    const other = await postJson(t, "/api/integration/unlink", { client_id: "karabast", client_secret: partner.secret });
    expect(other.status).toBe(400);
  });

  it("unlink by the user in settings kills the partner's refresh", async () => {
    const { externalUserId, tokens } = await linked();
    const list = (await (await t.app.request("/api/me/links", { headers: { cookie } })).json()) as { links: { id: string; status: string; linkedAt: string | null }[] };
    const active = list.links.find((l) => l.status === "active")!;
    expect(active.linkedAt).not.toBeNull();
    const del = await t.app.request(`/api/me/links/${active.id}`, { method: "DELETE", headers: { cookie, origin: "http://localhost:3000" } });
    expect(del.status).toBe(200);
    expect((await refresh(t, partner, tokens.refresh_token, externalUserId)).status).toBe(400);
  });
});
