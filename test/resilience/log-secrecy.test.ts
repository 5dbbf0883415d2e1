/**
 * Log secrecy. A full flow runs against the real app at the most verbose log level (sign-up,
 * approval, link-confirm and its retry, refresh with a grace retry and a reuse replay, a game with both
 * players linked, unlink from both sides, and bad requests that put credentials where they do
 * not belong), and then every captured log line is searched for every credential that went by:
 * link, access and refresh tokens, the client secret, session cookie values, passwords, and the
 * base64 of Basic credentials, also without their prefix and as fragments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, basic, confirm, postForm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";
import { gameBody, gameData } from "./support.js";

/** Sub-strings this long of a secret's random part must not appear either (truncated logging). */
const FRAGMENT = 16;

describe.each(databaseKinds)("no credential reaches the logs (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  const secrets = new Map<string, string>();
  const keep = (label: string, value: string | null | undefined) => {
    if (value) secrets.set(`${label} #${secrets.size}`, value);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { env: { LOG_LEVEL: "trace" } });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  async function signUp(email: string, password: string) {
    const res = await t.app.request("/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email, password, name: "Secret Keeper" }),
    });
    expect(res.status).toBe(200);
    const pairs = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
    for (const pair of pairs) {
      const value = pair.slice(pair.indexOf("=") + 1);
      keep("cookie value", value);
      keep("cookie value (decoded)", decodeURIComponent(value));
      keep("session token", decodeURIComponent(value).split(".")[0]);
    }
    return pairs.join("; ");
  }

  it("runs the whole flow, with mistakes, and logs none of the credentials involved", async () => {
    const passwordA = "correct horse battery staple A1";
    const passwordB = "Tr0ub4dor&3 but longer B2";
    keep("password", passwordA);
    keep("password", passwordB);
    const partner = await registerPartner(t);
    keep("client secret", partner.secret);
    const cookieA = await signUp("alice@example.com", passwordA);
    const cookieB = await signUp("bob@example.com", passwordB);

    // A second sign-in (a new session cookie) and a wrong password.
    const signIn = (password: string) =>
      t.app.request("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", origin: TEST_ORIGIN }, body: JSON.stringify({ email: "alice@example.com", password }) });
    const good = await signIn(passwordA);
    expect(good.status).toBe(200);
    for (const c of good.headers.getSetCookie()) keep("cookie value", c.split(";")[0]!.split("=").slice(1).join("="));
    keep("password", "wrong password for alice 9Z");
    expect((await signIn("wrong password for alice 9Z")).status).toBe(401);

    // Approve and confirm two links.
    const linkA = await approveLink(t, cookieA, { clientId: partner.clientId, externalUserId: "kb-alice" });
    const linkB = await approveLink(t, cookieB, { clientId: partner.clientId, externalUserId: "kb-bob" });
    keep("link token", linkA.linkToken);
    keep("link token", linkB.linkToken);
    const confirmedA = await confirm(t, partner, linkA.linkToken, "kb-alice");
    const confirmedB = await confirm(t, partner, linkB.linkToken, "kb-bob");
    expect([confirmedA.status, confirmedB.status]).toEqual([200, 200]);
    const a1 = (await confirmedA.json()) as TokenBody;
    const b1 = (await confirmedB.json()) as TokenBody;
    for (const p of [a1, b1]) {
      keep("access token", p.access_token);
      keep("refresh token", p.refresh_token);
    }
    // Confirming the used link token again: the callback loaded twice (the same pair), then for another user (refused).
    const retried = await confirm(t, partner, linkA.linkToken, "kb-alice");
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as TokenBody).refresh_token).toBe(a1.refresh_token);
    expect((await confirm(t, partner, linkA.linkToken, "kb-bob")).status).toBe(400);

    // A game with both players linked.
    const game = await postJson(t, "/api/integration/karabast/game-result", gameBody(partner, gameData("secret-game-1", [{ id: "kb-alice", accessToken: a1.access_token }, { id: "kb-bob", accessToken: b1.access_token }])));
    expect(game.status).toBe(200);
    expect(((await game.json()) as { players: { attributed: boolean }[] }).players.map((p) => p.attributed)).toEqual([true, true]);

    // Refresh, the grace retry (same pair), a second rotation, then a replay of the first token (reuse: revoked).
    const r1 = await refresh(t, partner, a1.refresh_token, "kb-alice");
    expect(r1.status).toBe(200);
    const a2 = (await r1.json()) as TokenBody;
    keep("access token", a2.access_token);
    keep("refresh token", a2.refresh_token);
    const grace = await refresh(t, partner, a1.refresh_token, "kb-alice");
    expect(grace.status).toBe(200);
    expect(((await grace.json()) as TokenBody).refresh_token).toBe(a2.refresh_token);
    const r2 = await refresh(t, partner, a2.refresh_token, "kb-alice");
    expect(r2.status).toBe(200);
    const a3 = (await r2.json()) as TokenBody;
    keep("access token", a3.access_token);
    keep("refresh token", a3.refresh_token);
    const reuse = await refresh(t, partner, a1.refresh_token, "kb-alice");
    expect(reuse.status).toBe(400);
    expect((await refresh(t, partner, a3.refresh_token, "kb-alice")).status).toBe(400); // the link is revoked

    // Unlink: by the partner (Bob), and by Alice herself from Swubase (after linking again).
    expect((await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-bob", integration: "karabast" })).status).toBe(200);
    const again = await approveLink(t, cookieA, { clientId: partner.clientId, externalUserId: "kb-alice" });
    keep("link token", again.linkToken);
    const confirmedAgain = await confirm(t, partner, again.linkToken, "kb-alice");
    const a4 = (await confirmedAgain.json()) as TokenBody;
    keep("access token", a4.access_token);
    keep("refresh token", a4.refresh_token);
    const { links } = (await (await t.app.request("/api/me/links", { headers: { cookie: cookieA } })).json()) as { links: { id: string; status: string }[] };
    const active = links.find((l) => l.status === "active")!;
    expect((await t.app.request(`/api/me/links/${active.id}`, { method: "DELETE", headers: { cookie: cookieA, origin: TEST_ORIGIN } })).status).toBe(200);

    // Mistakes that carry credentials.
    const wrongSecret = "swbs_" + "W".repeat(43);
    keep("wrong client secret", wrongSecret);
    expect((await refresh(t, { clientId: partner.clientId, secret: wrongSecret }, a4.refresh_token, "kb-alice")).status).toBe(401);
    const badJson = `{"client_id":"${partner.clientId}","client_secret":"${partner.secret}","refresh_token":"${a4.refresh_token}",`;
    const bad = await t.app.request("/api/integration/refresh-token", { method: "POST", headers: { "content-type": "application/json" }, body: badJson });
    expect(bad.status).toBe(400);
    const query = new URLSearchParams({ refresh_token: a4.refresh_token, client_secret: partner.secret, access_token: a4.access_token, link_token: again.linkToken });
    const inQuery = await t.app.request(`/api/integration/refresh-token?${query.toString()}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(inQuery.status).toBeGreaterThanOrEqual(400);
    const inQueryGet = await t.app.request(`/api/integration/authorize?client_id=${partner.clientId}&link_token=${again.linkToken}&access_token=${a4.access_token}`, { headers: { cookie: cookieA } });
    expect(inQueryGet.status).toBeGreaterThanOrEqual(200);
    const basicGood = basic(partner.clientId, partner.secret);
    const basicBad = basic(partner.clientId, wrongSecret);
    keep("basic credentials (base64)", basicGood.slice("Basic ".length));
    keep("basic credentials (base64)", basicBad.slice("Basic ".length));
    expect((await postForm(t, "/api/integration/refresh-token", { refresh_token: a4.refresh_token, external_user_id: "kb-alice" }, { authorization: basicGood })).status).toBe(400);
    expect((await postForm(t, "/api/integration/refresh-token", { refresh_token: a4.refresh_token, external_user_id: "kb-alice" }, { authorization: basicBad })).status).toBe(401);
    expect((await postJson(t, "/api/integration/link-confirm", { link_token: again.linkToken }, { authorization: `Basic ${basicGood.slice(6)}!!` })).status).toBe(401);
    expect((await t.app.request("/oauth/userinfo", { headers: { authorization: `Bearer ${a4.access_token}` } })).status).toBe(401);
    expect((await t.app.request("/api/me/links", { headers: { cookie: `${cookieA}; extra=${a4.refresh_token}` } })).status).toBe(200);
    const tooBig = await postJson(t, "/api/integration/refresh-token", { client_id: partner.clientId, client_secret: partner.secret, refresh_token: a4.refresh_token, padding: "x".repeat(70_000) });
    expect(tooBig.status).toBe(413);

    // The logs: non-empty, about these requests, and free of every credential.
    const text = t.logs.join("");
    expect(t.logs.length).toBeGreaterThan(20);
    for (const path of ["/api/integration/link-confirm", "/api/integration/refresh-token", "/api/integration/karabast/game-result", "/api/integration/unlink", "/api/auth/sign-in/email"])
      expect(text, path).toContain(path);
    const leaks: string[] = [];
    for (const [label, value] of secrets) {
      const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
      const random = /^swb[lars]_/.test(value) ? value.slice(5) : null;
      if (random) forms.add(random);
      for (const form of forms) if (text.includes(form)) leaks.push(`${label}: whole value (${form.slice(0, 8)}…)`);
      // Fragments of random material only (base64 Basic credentials start with the client id).
      const core = random ?? (value.length >= 32 && !label.startsWith("basic") ? value : null);
      if (core) {
        for (let i = 0; i + FRAGMENT <= core.length; i++) {
          if (text.includes(core.slice(i, i + FRAGMENT))) {
            leaks.push(`${label}: fragment at ${i}`);
            break;
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(secrets.size).toBeGreaterThan(20);
  });
});
