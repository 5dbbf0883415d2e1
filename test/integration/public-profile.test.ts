/**
 * Public profiles: GET/PATCH /api/me/profile (handle, publicStats, metaOptOut) and the public
 * statistics at GET /api/public/{handle}/stats: private by default, 404 the moment they are made
 * private again, handles validated and unique whatever their case, and nothing in the public
 * answer that identifies the account.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { karabastGameResultBody } from "../support/karabast-report.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const HAN = "9226435975";
const QUIGON = "2580909557";
const OSCILLATOR = "4301437393";
const TEMPLE = "0450346170";

describe.each(databaseKinds)("public profiles (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };
  let rey: { cookie: string; userId: string; tokens: TokenBody };
  let finn: { cookie: string; userId: string };

  const patch = (cookie: string, body: unknown, headers: Record<string, string> = { origin: TEST_ORIGIN }) =>
    t.app.request("/api/me/profile", { method: "PATCH", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const publicStats = (handle: string) => t.app.request(`/api/public/${encodeURIComponent(handle)}/stats`);
  const expectError = async (res: Response, status: number, message: RegExp) => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect((JSON.parse(text) as { error_description: string }).error_description).toMatch(message);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    const signedUp = await signUp(t.app, { email: "rey.private@example.com", name: "Rey Private-Name" });
    const { linkToken } = await approveLink(t, signedUp.cookie, { clientId: partner.clientId, externalUserId: "kb-rey-secret-id" });
    const confirmed = await confirm(t, partner, linkToken, "kb-rey-secret-id");
    rey = { ...signedUp, tokens: (await confirmed.json()) as TokenBody };
    finn = await signUp(t.app, { email: "finn@example.com" });
    const games: [string, string[]][] = [
      ["pp-1", ["kb-rey-secret-id"]],
      ["pp-2", ["kb-rey-secret-id"]],
      ["pp-3", ["kb-stranger"]],
      ["pp-4", ["kb-rey-secret-id", "kb-stranger"]],
    ];
    for (const [i, [gameId, winners]] of games.entries()) {
      const body = karabastGameResultBody(partner, {
        gameId,
        lobbyId: `lobby-${gameId}`,
        finishedAt: `2026-11-2${i}T11:20:00.000Z`,
        startedAt: `2026-11-2${i}T11:00:00.000Z`,
        winners,
        players: [
          { id: "kb-rey-secret-id", accessToken: rey.tokens.access_token, deckLeader: { id: i < 2 ? HAN : QUIGON }, base: { id: OSCILLATOR } },
          { id: "kb-stranger", deckLeader: { id: QUIGON }, base: { id: TEMPLE } },
        ],
      });
      const res = await postJson(t, "/api/integration/karabast/game-result", body);
      expect(res.status, await res.clone().text()).toBe(200);
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("is private by default, with no handle", async () => {
    const res = await t.app.request("/api/me/profile", { headers: { cookie: rey.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ handle: null, publicStats: false, metaOptOut: false });
  });

  it("needs a session, and a same-origin request to change", async () => {
    expect((await t.app.request("/api/me/profile")).status).toBe(401);
    expect((await t.app.request("/api/me/profile", { method: "PATCH", headers: { "content-type": "application/json", origin: TEST_ORIGIN }, body: "{}" })).status).toBe(401);
    await expectError(await patch(rey.cookie, { handle: "rey" }, { origin: "https://evil.example" }), 403, /Cross-origin/);
    await expectError(await patch(rey.cookie, { handle: "rey" }, {}), 403, /Cross-origin/);
  });

  it("refuses bad input with a 400 naming the field", async () => {
    const cases: [unknown, RegExp][] = [
      [{ handle: "ab" }, /^handle must be 3 to 30 characters long/],
      [{ handle: "x".repeat(31) }, /^handle must be 3 to 30 characters long/],
      [{ handle: "-rey" }, /^handle must not start with a hyphen/],
      [{ handle: "rey skywalker" }, /^handle may contain only letters/],
      [{ handle: "rey.sky" }, /^handle may contain only letters/],
      [{ handle: "admin" }, /^handle "admin" is reserved/],
      [{ handle: "Settings" }, /^handle "Settings" is reserved/],
      [{ handle: "META" }, /^handle "META" is reserved/],
      [{ handle: 12345 }, /^handle must be a string/],
      [{ handle: ["rey"] }, /^handle must be a string/],
      [{ publicStats: "yes" }, /^publicStats must be true or false/],
      [{ publicStats: 1 }, /^publicStats must be true or false/],
      [{ metaOptOut: "false" }, /^metaOptOut must be true or false/],
      [{}, /at least one of handle, publicStats and metaOptOut/],
      [{ nickname: "rey" }, /at least one of handle, publicStats and metaOptOut/],
    ];
    for (const [body, message] of cases) await expectError(await patch(rey.cookie, body), 400, message);
    await expectError(
      await t.app.request("/api/me/profile", { method: "PATCH", headers: { cookie: rey.cookie, origin: TEST_ORIGIN, "content-type": "application/json" }, body: "{not json" }),
      400,
      /not valid JSON/,
    );
    await expectError(await t.app.request("/api/me/profile", { method: "PATCH", headers: { cookie: rey.cookie, origin: TEST_ORIGIN, "content-type": "text/plain" }, body: "x" }), 415, /application\/json/);
    // Public statistics need a handle first.
    await expectError(await patch(rey.cookie, { publicStats: true }), 400, /^handle is required to make your statistics public/);
    // Nothing was saved by any of these.
    const res = await t.app.request("/api/me/profile", { headers: { cookie: rey.cookie } });
    expect(await res.json()).toEqual({ handle: null, publicStats: false, metaOptOut: false });
  });

  it("keeps handles unique whatever their case (409), and frees a handle that was changed", async () => {
    const res = await patch(rey.cookie, { handle: "  Rey_Skywalker " });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ handle: "Rey_Skywalker", publicStats: false, metaOptOut: false });
    // The same user may send it again (in another case too).
    expect((await patch(rey.cookie, { handle: "Rey_Skywalker" })).status).toBe(200);
    await expectError(await patch(finn.cookie, { handle: "rey_skywalker" }), 409, /^handle is already taken/);
    await expectError(await patch(finn.cookie, { handle: "REY_SKYWALKER" }), 409, /^handle is already taken/);
    // Finn's failed attempts left Finn without a profile change.
    expect(await (await t.app.request("/api/me/profile", { headers: { cookie: finn.cookie } })).json()).toEqual({ handle: null, publicStats: false, metaOptOut: false });

    expect((await patch(rey.cookie, { handle: "rey-temp" })).status).toBe(200);
    expect((await patch(finn.cookie, { handle: "rey_skywalker" })).status).toBe(200); // the old one is free again
    await expectError(await patch(rey.cookie, { handle: "Rey_Skywalker" }), 409, /taken/);
    expect((await patch(finn.cookie, { handle: "finn-2187" })).status).toBe(200);
    expect((await patch(rey.cookie, { handle: "Rey_Skywalker" })).status).toBe(200);
  });

  it("answers 404 for a private profile and an unknown handle alike", async () => {
    for (const handle of ["Rey_Skywalker", "rey_skywalker", "nobody-here", "x".repeat(31), "\u0000x"]) {
      const res = await publicStats(handle);
      expect(res.status, handle).toBe(handle === "\u0000x" ? 400 : 404); // a NUL is refused before any lookup
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
    }
    await expectError(await publicStats("Rey_Skywalker"), 404, /No public statistics under this handle/);
  });

  it("serves the statistics of a public handle in any case, uncached, and 404 at once when private again", async () => {
    const on = await patch(rey.cookie, { publicStats: true });
    expect(await on.json()).toEqual({ handle: "Rey_Skywalker", publicStats: true, metaOptOut: false });

    const own = (await (await t.app.request("/api/stats/overview", { headers: { cookie: rey.cookie } })).json()) as Record<string, unknown>;
    for (const handle of ["Rey_Skywalker", "rey_skywalker", "REY_SKYWALKER"]) {
      const res = await publicStats(handle);
      expect(res.status, handle).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ handle: "Rey_Skywalker", games: 4, wins: 2, losses: 1, draws: 1, winRate: 0.5 });
      expect(body.recent).toEqual(own.recent);
      expect(body.leaders).toEqual([
        expect.objectContaining({ leader: expect.objectContaining({ id: HAN }), games: 2, wins: 2 }),
        expect.objectContaining({ leader: expect.objectContaining({ id: QUIGON }), games: 2, wins: 0, losses: 1, draws: 1 }),
      ]);
      expect(body.bases).toEqual([expect.objectContaining({ base: expect.objectContaining({ id: OSCILLATOR }), games: 4 })]);
    }
    const paged = (await (await t.app.request("/api/public/rey_skywalker/stats?page=2&pageSize=3")).json()) as { recent: { items: unknown[]; page: number } };
    expect(paged.recent).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(paged.recent.items).toHaveLength(1);
    await expectError(await t.app.request("/api/public/rey_skywalker/stats?pageSize=1000"), 400, /pageSize/);

    const off = await patch(rey.cookie, { publicStats: false });
    expect(off.status).toBe(200);
    expect((await publicStats("rey_skywalker")).status).toBe(404);
    expect((await patch(rey.cookie, { publicStats: true })).status).toBe(200);
    expect((await publicStats("rey_skywalker")).status).toBe(200);
  });

  it("never shows the email, name, user id, Karabast id, tokens or session in the public answer", async () => {
    expect((await patch(rey.cookie, { publicStats: true })).status).toBe(200);
    const text = await (await publicStats("rey_skywalker")).text();
    const secrets = [
      "rey.private@example.com",
      "Rey Private-Name",
      rey.userId,
      "kb-rey-secret-id",
      "kb-stranger",
      rey.tokens.access_token,
      rey.tokens.refresh_token,
      ...rey.cookie.split(/[=;]\s*/),
      partner.clientId,
      partner.secret,
    ];
    for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
    expect(text).not.toMatch(/email|userId|user_id|externalUserId|accessToken|token/i);
  });

  it("clears a handle with null: private at once, the old address 404, the handle free again", async () => {
    const luke = await signUp(t.app, { email: "luke@example.com" });
    const profile = async () => (await t.app.request("/api/me/profile", { headers: { cookie: luke.cookie } })).json();
    expect((await patch(luke.cookie, { handle: "Luke_Jedi", publicStats: true })).status).toBe(200);
    expect((await publicStats("luke_jedi")).status).toBe(200);

    const cleared = await patch(luke.cookie, { handle: null });
    expect(cleared.status, await cleared.clone().text()).toBe(200);
    // Public statistics need a handle: clearing it turns them off, so a later handle is not public by surprise.
    expect(await cleared.json()).toEqual({ handle: null, publicStats: false, metaOptOut: false });
    expect(await profile()).toEqual({ handle: null, publicStats: false, metaOptOut: false });
    for (const old of ["Luke_Jedi", "luke_jedi"]) await expectError(await publicStats(old), 404, /No public statistics under this handle/);
    // Anyone may take it now (here in another case).
    const leia = await signUp(t.app, { email: "leia@example.com" });
    expect((await patch(leia.cookie, { handle: "LUKE_JEDI" })).status).toBe(200);

    // Clearing without a handle, and beside another field, is fine.
    expect(await (await patch(luke.cookie, { handle: null, metaOptOut: true })).json()).toEqual({ handle: null, publicStats: false, metaOptOut: true });
    // Clearing the handle and going public at once contradict each other; with a handle set, nothing is saved.
    expect((await patch(luke.cookie, { handle: "luke-2" })).status).toBe(200);
    await expectError(await patch(luke.cookie, { handle: null, publicStats: true }), 400, /^handle is required to make your statistics public/);
    expect(await profile()).toEqual({ handle: "luke-2", publicStats: false, metaOptOut: true });

    // Anything but a string or null is a 400 naming the field; "" is still no value at all.
    for (const handle of [12345, 0, true, false, {}, ["luke"], [null]])
      await expectError(await patch(luke.cookie, { handle }), 400, /^handle must be a string, or null to clear it$/);
    await expectError(await patch(luke.cookie, { handle: "" }), 400, /at least one of handle, publicStats and metaOptOut/);
    expect(await profile()).toEqual({ handle: "luke-2", publicStats: false, metaOptOut: true });
  });

  it("keeps the meta opt-out apart from the other fields", async () => {
    const res = await patch(finn.cookie, { metaOptOut: true });
    expect(await res.json()).toEqual({ handle: "finn-2187", publicStats: false, metaOptOut: true });
    expect(await (await patch(finn.cookie, { publicStats: true })).json()).toEqual({ handle: "finn-2187", publicStats: true, metaOptOut: true });
    expect(await (await patch(finn.cookie, { metaOptOut: false, publicStats: false })).json()).toEqual({ handle: "finn-2187", publicStats: false, metaOptOut: false });
  });

  it("is deleted with the account, and the handle is free again", async () => {
    const gone = await signUp(t.app, { email: "gone@example.com" });
    expect((await patch(gone.cookie, { handle: "Gone_Soon", publicStats: true })).status).toBe(200);
    expect((await publicStats("gone_soon")).status).toBe(200);
    await tdb.database.db.execute(sql`delete from "user" where id = ${gone.userId}`);
    expect((await publicStats("gone_soon")).status).toBe(404);
    expect((await patch(finn.cookie, { handle: "gone_soon" })).status).toBe(200);
  });
});
