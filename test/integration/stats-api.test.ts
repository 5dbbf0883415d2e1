/**
 * The statistics API for partners (Bearer access tokens with the `stats` scope, RFC 6750) and the
 * game export (GET /api/stats/export?format=csv|json or as=csv|json). A small data set: "me" plays three games,
 * "other" one; "plain" is linked without the `stats` scope.
 *
 *  game   finished (UTC)     format   leader/base  deck                     opponent  result  lobby / seq
 *  api-1  Jan 05 10:00       premier  L1 B1        Han, "Fast" Aggro        O1 OB1    win     x / 1
 *  api-2  Jan 05 10:30       premier  L1 B1        Han, "Fast" Aggro        O1 OB1    loss    x / 2
 *  api-3  Jan 07 12:00       open     L2 B2        =SUM(1+1) (a formula)    O2 OB2    win     —
 *  api-o  Jan 06 09:00       premier  (other's game)
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/repositories/rows.js";
import { SCOPE_CATALOGUE } from "../../src/domain/clients/scopes.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, type TestApp } from "../support/test-app.js";

const L1 = "9226435975"; // Han Solo, Worth the Risk
const L2 = "2580909557"; // Quigon Jinn, Student of the Living Force
const O1 = "0011262813"; // Wedge Antilles, Leader of Red Squadron
const O2 = "0024560758"; // Darth Maul, Sith Revealed
const B1 = "4301437393"; // Thermal Oscillator
const B2 = "0450346170"; // Jedi Temple
const OB1 = "0119018087"; // Shadowed Undercity
const OB2 = "9999999999"; // not in the catalogue: the id stands in for the name
const D1 = { id: "deck-1", name: 'Han, "Fast" Aggro' };
const D2 = { id: "deck-2", name: "=SUM(1+1)" };

const REALM = 'Bearer realm="swubase"';

describe.each(databaseKinds)("stats API and export (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  const clock = fakeClock(new Date("2026-02-01T12:00:00Z"));
  let partner: { clientId: string; secret: string };
  let me: { cookie: string; userId: string; token: string };
  let other: { cookie: string; userId: string; token: string };
  let plain: { cookie: string; userId: string; token: string };

  async function link(email: string, externalUserId: string, scopes: string) {
    const user = await signUp(t.app, { email });
    const { linkToken } = await approveLink(t, user.cookie, { clientId: partner.clientId, externalUserId, scopes });
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenBody;
    expect(body.scope.split(" ")).toEqual(scopes.split(" "));
    return { ...user, token: body.access_token };
  }

  const game = (
    gameId: string,
    finishedAt: string,
    format: string,
    lobbyId: string | null,
    seq: number,
    mine: { id: string; token: string; leader: string; base: string; deck: { id: string; name: string }; win: boolean },
    opponent: [string, string],
  ) => ({
    gameId,
    lobbyId,
    startedAt: new Date(Date.parse(finishedAt) - 20 * 60_000).toISOString(),
    finishedAt,
    roundNumber: seq + 4,
    sequenceNumber: seq,
    format,
    players: [
      { data: { id: mine.id, accessToken: mine.token, leader: mine.leader, base: mine.base, deck: { ...mine.deck, deckSource: "swuBase" }, isWinner: mine.win }, cardMetrics: {} },
      { data: { id: "kb-stranger", accessToken: null, leader: opponent[0], base: opponent[1], deck: { id: "unknown", name: "Theirs" }, isWinner: !mine.win }, cardMetrics: {} },
    ],
  });

  const request = (path: string, headers: Record<string, string> = {}) => t.app.request(`/api/stats/${path}`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    partner = await registerPartner(t, { scopes: ["decks", "email", "profile", "teams", "stats"] });
    me = await link("me@example.com", "kb-me", "profile stats");
    other = await link("other@example.com", "kb-other", "stats");
    plain = await link("plain@example.com", "kb-plain", "profile email");
    const send = (data: unknown) =>
      postJson(t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data });
    const mine = (leader: string, base: string, deck: { id: string; name: string }, win: boolean) => ({ id: "kb-me", token: me.token, leader, base, deck, win });
    for (const data of [
      game("api-1", "2026-01-05T10:00:00Z", "premier", "x", 1, mine(L1, B1, D1, true), [O1, OB1]),
      game("api-2", "2026-01-05T10:30:00Z", "premier", "x", 2, mine(L1, B1, D1, false), [O1, OB1]),
      game("api-3", "2026-01-07T12:00:00Z", "open", null, 1, mine(L2, B2, D2, true), [O2, OB2]),
      game("api-o", "2026-01-06T09:00:00Z", "premier", "q", 1, { id: "kb-other", token: other.token, leader: L2, base: B1, deck: { id: "deck-o", name: "Other deck" }, win: true }, [O1, OB2]),
    ])
      expect((await send(data)).status).toBe(200);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const EXPECTED_GAMES = [
    {
      finishedAt: "2026-01-07T12:00:00.000Z", format: "open", lobbyId: null, matchId: null,
      myLeaderId: L2, myLeaderName: "Quigon Jinn, Student of the Living Force", myBaseId: B2, myBaseName: "Jedi Temple",
      deckId: "deck-2", deckName: "=SUM(1+1)", opponentLeaderId: O2, opponentLeaderName: "Darth Maul, Sith Revealed",
      opponentBaseId: OB2, opponentBaseName: OB2, result: "win", rounds: 5, durationSeconds: 1200, gameId: "api-3",
    },
    {
      finishedAt: "2026-01-05T10:30:00.000Z", format: "premier", lobbyId: "x", matchId: "x:api-1",
      myLeaderId: L1, myLeaderName: "Han Solo, Worth the Risk", myBaseId: B1, myBaseName: "Thermal Oscillator",
      deckId: "deck-1", deckName: 'Han, "Fast" Aggro', opponentLeaderId: O1, opponentLeaderName: "Wedge Antilles, Leader of Red Squadron",
      opponentBaseId: OB1, opponentBaseName: "Shadowed Undercity", result: "loss", rounds: 6, durationSeconds: 1200, gameId: "api-2",
    },
    {
      finishedAt: "2026-01-05T10:00:00.000Z", format: "premier", lobbyId: "x", matchId: "x:api-1",
      myLeaderId: L1, myLeaderName: "Han Solo, Worth the Risk", myBaseId: B1, myBaseName: "Thermal Oscillator",
      deckId: "deck-1", deckName: 'Han, "Fast" Aggro', opponentLeaderId: O1, opponentLeaderName: "Wedge Antilles, Leader of Red Squadron",
      opponentBaseId: OB1, opponentBaseName: "Shadowed Undercity", result: "win", rounds: 5, durationSeconds: 1200, gameId: "api-1",
    },
  ];

  const HEADER =
    "finishedAt,format,lobbyId,matchId,myLeaderId,myLeaderName,myBaseId,myBaseName,deckId,deckName," +
    "opponentLeaderId,opponentLeaderName,opponentBaseId,opponentBaseName,result,rounds,durationSeconds,gameId\r\n";
  const CSV_LINES = [
    `2026-01-07T12:00:00.000Z,open,,,${L2},"Quigon Jinn, Student of the Living Force",${B2},Jedi Temple,deck-2,'=SUM(1+1),${O2},"Darth Maul, Sith Revealed",${OB2},${OB2},win,5,1200,api-3\r\n`,
    `2026-01-05T10:30:00.000Z,premier,x,x:api-1,${L1},"Han Solo, Worth the Risk",${B1},Thermal Oscillator,deck-1,"Han, ""Fast"" Aggro",${O1},"Wedge Antilles, Leader of Red Squadron",${OB1},Shadowed Undercity,loss,6,1200,api-2\r\n`,
    `2026-01-05T10:00:00.000Z,premier,x,x:api-1,${L1},"Han Solo, Worth the Risk",${B1},Thermal Oscillator,deck-1,"Han, ""Fast"" Aggro",${O1},"Wedge Antilles, Leader of Red Squadron",${OB1},Shadowed Undercity,win,5,1200,api-1\r\n`,
  ];

  describe("export", () => {
    it("CSV: RFC 4180 with a header row, quoted commas and quotes, a guarded formula, as an attachment", async () => {
      const res = await request("export?as=csv", { cookie: me.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="swubase-stats-2026-02-01.csv"');
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-export-truncated")).toBe("false");
      expect(await res.text()).toBe(HEADER + CSV_LINES.join(""));
      // CSV is the default type.
      expect(await (await request("export", { cookie: me.cookie })).text()).toBe(HEADER + CSV_LINES.join(""));
    });

    it("JSON: the same rows", async () => {
      const res = await request("export?as=json", { cookie: me.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="swubase-stats-2026-02-01.json"');
      expect(await res.json()).toEqual({ games: EXPECTED_GAMES, truncated: false });
    });

    it("applies format, from and to; match ids are the ones /matches gives under the same filter", async () => {
      const ids = async (query: string) => ((await (await request(`export?as=json&${query}`, { cookie: me.cookie })).json()) as { games: { gameId: string }[] }).games.map((g) => g.gameId);
      expect(await ids("format=premier")).toEqual(["api-2", "api-1"]);
      expect(await ids("format=open")).toEqual(["api-3"]);
      expect(await ids("from=2026-01-06")).toEqual(["api-3"]);
      expect(await ids("to=2026-01-05")).toEqual(["api-2", "api-1"]);
      expect(await ids("from=2026-01-05T10:30:00Z&to=2026-01-06")).toEqual(["api-2"]);

      // The filter leaves api-2 first in lobby x, so it starts the match there, as in /matches.
      const query = "from=2026-01-05T10:30:00Z";
      const exported = (await (await request(`export?as=json&${query}`, { cookie: me.cookie })).json()) as { games: { gameId: string; matchId: string | null }[] };
      const matches = (await (await request(`matches?${query}`, { cookie: me.cookie })).json()) as { items: { matchId: string }[] };
      expect(matches.items.map((m) => m.matchId)).toEqual(["x:api-2"]);
      expect(exported.games.find((g) => g.gameId === "api-2")!.matchId).toBe("x:api-2");
    });

    it("format=csv or format=json names the file type (no game format is called that); any other format filters, as= still works", async () => {
      const csv = await request("export?format=csv", { cookie: me.cookie });
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toBe('attachment; filename="swubase-stats-2026-02-01.csv"');
      expect(await csv.text()).toBe(HEADER + CSV_LINES.join("")); // every game: format=csv filters nothing
      const json = await request("export?format=json", { cookie: me.cookie });
      expect(json.headers.get("content-type")).toMatch(/^application\/json/);
      expect(json.headers.get("content-disposition")).toBe('attachment; filename="swubase-stats-2026-02-01.json"');
      expect(await json.json()).toEqual({ games: EXPECTED_GAMES, truncated: false });
      // With the other filters, and with `as` naming the same type.
      const ids = async (query: string) => ((await (await request(`export?${query}`, { cookie: me.cookie })).json()) as { games: { gameId: string }[] }).games.map((g) => g.gameId);
      expect(await ids("format=json&from=2026-01-06")).toEqual(["api-3"]);
      expect(await ids(`format=json&as=json&leader=${L1}`)).toEqual(["api-2", "api-1"]);
      // Any other format is the game format; the file type then comes from `as` (CSV by default).
      expect(await ids("as=json&format=open")).toEqual(["api-3"]);
      expect(await (await request("export?format=open", { cookie: me.cookie })).text()).toBe(HEADER + CSV_LINES[0]);
      expect(await (await request("export?format=limited", { cookie: me.cookie })).text()).toBe(HEADER);
      // Two different file types is a 400 naming both.
      const clash = await request("export?format=csv&as=json", { cookie: me.cookie });
      expect(clash.status).toBe(400);
      expect(await clash.json()).toEqual({ error: "invalid_request", error_description: "as=json and format=csv ask for different file types" });
    });

    it("is capped, saying so", async () => {
      const capped = await t.deps.services.stats.exportGames(me.userId, {}, 2);
      expect(capped.truncated).toBe(true);
      expect(capped.games.map((g) => g.gameId)).toEqual(["api-3", "api-2"]);
      expect((await t.deps.services.stats.exportGames(me.userId, {}, 3)).truncated).toBe(false);
    });

    it("refuses a bad file type or filter with a 400 naming the parameter, and no credentials with a 401", async () => {
      for (const query of ["as=xml", "as=", "as=CSV", "as=xml&format=csv"]) {
        const res = await request(`export?${query}`, { cookie: me.cookie });
        expect(res.status, query).toBe(400);
        expect(await res.json()).toEqual({ error: "invalid_request", error_description: "as must be csv or json" });
      }
      const badDate = await request("export?from=yesterday", { cookie: me.cookie });
      expect(badDate.status).toBe(400);
      expect(((await badDate.json()) as { error_description: string }).error_description).toMatch(/^from /);
      const anonymous = await request("export?as=csv");
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ error: "login_required", error_description: "Sign in first" });
    });

    it("the same export from the records the statistics job writes (drizzle/0013) as from the games", async () => {
      const db = tdb.database.db;
      const records = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from seat_export`))[0]!.n;
      const files = async () => Promise.all(["csv", "json"].map(async (type) => (await request(`export?as=${type}`, { cookie: me.cookie })).text()));
      expect(await records()).toBe(0);
      const fromGames = await files();
      expect(fromGames[0]).toBe(HEADER + CSV_LINES.join(""));
      const [newest] = rowsOf<{ id: number }>(await db.execute(sql`select max(id)::float8 as id from game`));
      // The attributed seats only (mine 3, the other player's 1): the strangers' seats are never exported.
      expect(await t.deps.services.seatExportFold.runOnce(newest!.id)).toMatchObject({ written: 4, behind: false });
      expect(await records()).toBe(4);
      expect(await files()).toEqual(fromGames);
    });
  });

  it("the OpenAPI document lists Bearer with the stats scope, its 401/403, the export, the matrix and the cards", async () => {
    const doc = (await (await t.app.request("/api/openapi.json")).json()) as {
      paths: Record<string, { get: { security: unknown; responses: Record<string, unknown>; parameters: { name: string }[] } }>;
    };
    for (const path of ["/api/stats/overview", "/api/stats/matches", "/api/stats/matchups", "/api/stats/cards", "/api/stats/export"]) {
      const op = doc.paths[path]!.get;
      expect(op.security, path).toEqual([{ session: [] }, { bearer: ["stats"] }]);
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(["200", "400", "401", "403"]));
    }
    const exportOp = doc.paths["/api/stats/export"]!.get;
    expect(exportOp.parameters.map((p) => p.name)).toEqual(["format", "as", "from", "to", "leader", "deck", "bo"]);
    expect(doc.paths["/api/stats/matchups"]!.get.parameters.map((p) => p.name)).toEqual(["by", "minGames", "format", "from", "to", "leader", "deck", "bo"]);
    expect(Object.keys((exportOp.responses["200"] as { content: object }).content)).toEqual(["text/csv", "application/json"]);
  });

  describe("the stats scope on the approval page", () => {
    const authorize = (query: string) => t.app.request(`/api/integration/authorize?${query}&karabast_user_id=kb-new`, { headers: { cookie: plain.cookie } });

    it("is described in words, and unknown or unregistered scopes are still refused", async () => {
      const res = await authorize(`client_id=${partner.clientId}&scope=profile+stats`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { scopes: unknown }).scopes).toEqual([
        { name: "profile", description: SCOPE_CATALOGUE.profile },
        { name: "stats", description: "Read your game statistics: results, leaders, bases, decks, matches and the game export." },
      ]);
      const unknown = await authorize(`client_id=${partner.clientId}&scope=stats+stats:write`);
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ error: "invalid_scope", error_description: "Scope not allowed for this client: stats:write" });
      const other = await registerPartner(t, { clientId: "no-stats" });
      const notRegistered = await authorize(`client_id=${other.clientId}&scope=stats`);
      expect(notRegistered.status).toBe(400);
      expect(await notRegistered.json()).toMatchObject({ error: "invalid_scope" });
      await expect(t.deps.services.clients.register({ clientId: "bad", name: "Bad", integration: "karabast", redirectUris: ["https://bad.example/cb"], scopes: ["stats:write"] })).rejects.toThrow(/unknown scope/);
    });
  });

  describe("Bearer access tokens", () => {
    it("with the stats scope: that link's user's numbers, the same as their session sees", async () => {
      const res = await request("overview", bearer(me.token));
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const viaToken = (await res.json()) as Record<string, unknown>;
      expect(viaToken).toMatchObject({ games: 3, wins: 2, losses: 1, draws: 0 });
      expect(viaToken).toEqual(await (await request("overview", { cookie: me.cookie })).json());
      const exported = await request("export?as=json", bearer(me.token));
      expect(await exported.json()).toEqual({ games: EXPECTED_GAMES, truncated: false });
      for (const path of ["leaders", "bases", "decks", "matchups", "matches", "weekly", "decks/deck-1/cards"])
        expect((await request(path, bearer(me.token))).status, path).toBe(200);
    });

    it("never shows another user's games: the token decides, not a cookie beside it", async () => {
      const mine = (await (await request("export?as=json", bearer(me.token))).json()) as { games: { gameId: string }[] };
      expect(mine.games.map((g) => g.gameId)).not.toContain("api-o");
      const theirs = (await (await request("export?as=json", { ...bearer(other.token), cookie: me.cookie })).json()) as { games: { gameId: string }[] };
      expect(theirs.games.map((g) => g.gameId)).toEqual(["api-o"]);
      const overview = (await (await request("overview", { ...bearer(other.token), cookie: me.cookie })).json()) as { games: number };
      expect(overview.games).toBe(1);
    });

    it("without the stats scope: 403 insufficient_scope with the challenge", async () => {
      const res = await request("overview", bearer(plain.token));
      expect(res.status).toBe(403);
      expect(res.headers.get("www-authenticate")).toBe(`${REALM}, error="insufficient_scope", scope="stats"`);
      expect(await res.json()).toEqual({ error: "insufficient_scope", error_description: "The access token lacks the stats scope" });
      // The same user's session still works.
      expect((await request("overview", { cookie: plain.cookie })).status).toBe(200);
    });

    it("garbage, a refresh token or an empty Bearer: 401 invalid_token with the challenge", async () => {
      for (const authorization of ["Bearer not-a-token", `Bearer ${me.token}x`, "Bearer ", "bearer  %%%", `Bearer ${me.token} extra`]) {
        const res = await request("overview", { authorization });
        expect(res.status, authorization).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe(`${REALM}, error="invalid_token"`);
        expect(await res.json()).toEqual({ error: "invalid_token", error_description: "The access token is invalid, expired or revoked" });
      }
    });

    it("no credentials (or another scheme): 401 login_required as before, with a challenge without error", async () => {
      for (const headers of [{}, { authorization: "Basic a2FyYWJhc3Q6eA==" }] as Record<string, string>[]) {
        const res = await request("overview", headers);
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe(REALM);
        expect(await res.json()).toEqual({ error: "login_required", error_description: "Sign in first" });
      }
    });

    it("revoked (the partner unlinked): 401", async () => {
      expect((await request("overview", bearer(other.token))).status).toBe(200);
      const unlink = await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-other" });
      expect(unlink.status).toBe(200);
      const res = await request("overview", bearer(other.token));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(`${REALM}, error="invalid_token"`);
    });

    it("expired: live until its expiry plus the 60 s leeway, 401 after", async () => {
      clock.advance(3600 + 59);
      expect((await request("overview", bearer(me.token))).status).toBe(200);
      clock.advance(2); // expiry + 61 s
      const res = await request("overview", bearer(me.token));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(`${REALM}, error="invalid_token"`);
      expect((await request("overview", { cookie: me.cookie })).status).toBe(200);
    });
  });
});
