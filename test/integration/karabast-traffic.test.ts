/**
 * Real Karabast traffic (issue 12), sent the way the deployed client sends it
 * (test/support/karabast-report.ts): optional deck data, several game-server processes each with
 * its own cached access token, and what ends those tokens.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/repositories/rows.js";
import { basic, confirm, approveLink, postForm, postJson, refresh, type TokenBody } from "../support/link-helpers.js";
import { databaseKinds } from "../support/databases.js";
import { karabastGameResultBody, type SimulatedGame, type SimulatedPlayer } from "../support/karabast-report.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

const LEADER = { id: "SHD_013" };
const BASE = { id: "JTL_025" };

describe.each(databaseKinds)("the deployed Karabast client's traffic (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let users = 0;
  let games = 0;

  async function linkKarabastUser(externalUserId: string) {
    const { t, partner } = suite;
    const { cookie, userId } = await signUp(t.app, { email: `traffic${++users}@example.com` });
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenBody;
    return { cookie, userId, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  async function report(players: [SimulatedPlayer, SimulatedPlayer], winners: string[] = [players[0].id]) {
    const game: SimulatedGame = { gameId: `traffic-${++games}`, lobbyId: `lobby-${games}`, winners, players };
    const res = await postJson(suite.t, "/api/integration/karabast/game-result", karabastGameResultBody(suite.partner, game));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { players: { id: string; attributed: boolean; reason?: string }[] };
  }

  const overview = async (cookie: string) => {
    const res = await suite.t.app.request("/api/stats/overview", { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as { games: number; wins: number; losses: number };
  };

  it("counts a game for both players when one is on a deck from another site, without a deck name or a leader", async () => {
    const a = await linkKarabastUser("kb-swubase-deck");
    const b = await linkKarabastUser("kb-other-site");
    const body = await report([
      { id: "kb-swubase-deck", accessToken: a.accessToken, deckLeader: LEADER, base: BASE, deckLink: "https://swubase.com/decks/deck-42", deckName: "Han Solo", deckSource: "SWUBase" },
      // A linked player whose deck link is not a Swubase link, no name, and no leader read: deck.id null.
      { id: "kb-other-site", accessToken: b.accessToken, base: BASE, deckLink: "https://swudb.com/deck/abc", deckSource: "SWUDB" },
    ]);
    expect(body.players).toEqual([
      { id: "kb-swubase-deck", attributed: true },
      { id: "kb-other-site", attributed: true },
    ]);
    expect(await overview(a.cookie)).toMatchObject({ games: 1, wins: 1 });
    expect(await overview(b.cookie)).toMatchObject({ games: 1, wins: 0 });
    const seats = rowsOf<{ external_user_id: string; leader: string; base: string; deck_id: string | null; deck_name: string | null; opponent_leader: string }>(
      await suite.tdb.database.db.execute(sql`
        select s.external_user_id, s.leader, s.base, s.deck_id, s.deck_name, s.opponent_leader
        from game_seat s join game g on g.id = s.game_id where g.game_id = ${`traffic-${games}`} order by s.seat`),
    );
    expect(seats).toEqual([
      { external_user_id: "kb-swubase-deck", leader: "SHD_013", base: "JTL_025", deck_id: "deck-42", deck_name: "Han Solo", opponent_leader: "unknown" },
      { external_user_id: "kb-other-site", leader: "unknown", base: "JTL_025", deck_id: null, deck_name: null, opponent_leader: "SHD_013" },
    ]);
  });

  it("counts a game whose players sent no leader, no base and no deck at all", async () => {
    const a = await linkKarabastUser("kb-bare");
    const body = await report([{ id: "kb-bare", accessToken: a.accessToken }, { id: "kb-unlinked-opponent" }]);
    expect(body.players).toEqual([
      { id: "kb-bare", attributed: true },
      { id: "kb-unlinked-opponent", attributed: false, reason: "no_token" },
    ]);
    expect(await overview(a.cookie)).toMatchObject({ games: 1 });
  });

  it("accepts every access token of a link until its own expiry, however many rotations other game servers made since", async () => {
    const { t, partner, clock } = suite;
    const me = await linkKarabastUser("kb-servers");
    // Game server A holds the first token; B and C (and A again, and B) rotate in turn.
    const held = [me.accessToken];
    let refreshToken = me.refreshToken;
    for (let rotation = 0; rotation < 4; rotation++) {
      clock.advance(300);
      const res = await refresh(t, partner, refreshToken, "kb-servers");
      expect(res.status).toBe(200);
      const pair = (await res.json()) as TokenBody;
      held.push(pair.access_token);
      refreshToken = pair.refresh_token;
    }
    // 1,200 s after the first token was issued: every server's cache still holds a token inside its window.
    for (const token of held) {
      const body = await report([{ id: "kb-servers", accessToken: token, deckLeader: LEADER, base: BASE }, { id: "kb-opponent" }]);
      expect(body.players[0]).toEqual({ id: "kb-servers", attributed: true });
    }
    expect(await overview(me.cookie)).toMatchObject({ games: held.length });
    // userinfo and introspection agree about the oldest one.
    expect((await t.app.request("/oauth/userinfo", { headers: { authorization: `Bearer ${held[0]}` } })).status).toBe(200);
    const intro = await postForm(t, "/oauth/introspect", { token: held[0]! }, { authorization: basic(partner.clientId, partner.secret) });
    expect(await intro.json()).toMatchObject({ active: true, token_type: "Bearer" });

    // The oldest token expires on its own clock (3,600 s after issue, plus 60 s of leeway); the newest lives on.
    clock.advance(3600 + 60 - 1200 + 1);
    const late = await report([{ id: "kb-servers", accessToken: held[0] }, { id: "kb-servers-2", accessToken: held[4] }]);
    expect(late.players[0]).toEqual({ id: "kb-servers", attributed: false, reason: "token_expired" });
    expect(late.players[1]).toEqual({ id: "kb-servers-2", attributed: false, reason: "token_user_mismatch" });
    const stillLive = await report([{ id: "kb-servers", accessToken: held[4] }, { id: "kb-opponent" }]);
    expect(stillLive.players[0]!.attributed).toBe(true);

    // Unlink ends every one of them at once.
    const unlink = await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-servers", integration: "karabast" });
    expect(unlink.status).toBe(200);
    for (const token of held.slice(1)) {
      const body = await report([{ id: "kb-servers", accessToken: token }, { id: "kb-opponent" }]);
      expect(body.players[0]).toEqual({ id: "kb-servers", attributed: false, reason: "link_revoked" });
    }
    expect((await t.app.request("/oauth/userinfo", { headers: { authorization: `Bearer ${held[3]}` } })).status).toBe(401);
  });

  it("ends every access token when refresh-token reuse revokes the link, and when the user unlinks", async () => {
    const { t, partner, clock } = suite;
    const me = await linkKarabastUser("kb-reuse");
    const first = (await (await refresh(t, partner, me.refreshToken, "kb-reuse")).json()) as TokenBody;
    const second = (await (await refresh(t, partner, first.refresh_token, "kb-reuse")).json()) as TokenBody;
    expect((await report([{ id: "kb-reuse", accessToken: me.accessToken }, { id: "kb-x" }])).players[0]!.attributed).toBe(true);
    // The first refresh token, replayed after the grace window: reuse, the link is revoked.
    clock.advance(121);
    expect((await refresh(t, partner, me.refreshToken, "kb-reuse")).status).toBe(400);
    for (const token of [me.accessToken, first.access_token, second.access_token])
      expect((await report([{ id: "kb-reuse", accessToken: token }, { id: "kb-x" }])).players[0]).toMatchObject({ attributed: false, reason: "link_revoked" });

    const user = await linkKarabastUser("kb-user-unlinks");
    const rotated = (await (await refresh(t, partner, user.refreshToken, "kb-user-unlinks")).json()) as TokenBody;
    const { links } = (await (await t.app.request("/api/me/links", { headers: { cookie: user.cookie } })).json()) as { links: { id: string; status: string }[] };
    const active = links.find((l) => l.status === "active")!;
    const del = await t.app.request(`/api/me/links/${active.id}`, { method: "DELETE", headers: { cookie: user.cookie, origin: "http://localhost:3000" } });
    expect(del.status).toBe(200);
    for (const token of [user.accessToken, rotated.access_token])
      expect((await report([{ id: "kb-user-unlinks", accessToken: token }, { id: "kb-x" }])).players[0]).toMatchObject({ attributed: false, reason: "link_revoked" });
  });
  it("shows a player the games that arrived for their Karabast id but were not counted, and nobody else", async () => {
    const { t, partner, clock } = suite;
    const uncounted = async (cookie: string) => {
      const res = await t.app.request("/api/me/uncounted-games", { headers: { cookie } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { games: { gameId: string; reason: string; partner: string; externalUserId: string }[] }).games;
    };
    // Before anyone links kb-shared, a game of it arrives (an unlinked player): nobody is shown it.
    await report([{ id: "kb-shared" }, { id: "kb-foe" }]);
    const before = `traffic-${games}`;
    clock.advance(1);
    const owner = await linkKarabastUser("kb-shared");
    expect(await uncounted(owner.cookie)).toEqual([]);

    await report([{ id: "kb-shared" }, { id: "kb-foe" }]); // Karabast sent no token
    const noToken = `traffic-${games}`;
    clock.advance(3600 + 61);
    await report([{ id: "kb-shared", accessToken: owner.accessToken }, { id: "kb-foe" }]); // expired
    const expired = `traffic-${games}`;
    await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-shared", integration: "karabast" });
    await report([{ id: "kb-shared", accessToken: owner.accessToken }, { id: "kb-foe" }]); // link revoked
    const revoked = `traffic-${games}`;
    clock.advance(10);
    const games1 = await uncounted(owner.cookie);
    expect(games1.map((g) => [g.gameId, g.reason])).toEqual([
      [revoked, "link_revoked"],
      [expired, "token_expired"],
      [noToken, "no_token"],
    ]);
    expect(games1[0]).toMatchObject({ partner: "Karabast", externalUserId: "kb-shared" });
    expect(games1.map((g) => g.gameId)).not.toContain(before);

    // Someone else links kb-shared: from then on its games are theirs to see, and the old ones stay the first owner's.
    const next = await linkKarabastUser("kb-shared");
    clock.advance(1);
    await report([{ id: "kb-shared", accessToken: owner.accessToken }, { id: "kb-foe" }]);
    const afterHandover = `traffic-${games}`;
    expect((await uncounted(next.cookie)).map((g) => [g.gameId, g.reason])).toEqual([[afterHandover, "link_revoked"]]);
    expect((await uncounted(owner.cookie)).map((g) => g.gameId)).not.toContain(afterHandover);
    // A bystander sees nothing, and the endpoint needs a session.
    const { cookie: bystander } = await signUp(t.app, { email: "bystander@example.com" });
    expect(await uncounted(bystander)).toEqual([]);
    expect((await t.app.request("/api/me/uncounted-games")).status).toBe(401);
  });

  it("exports its games the same from the games and from the export records the statistics job writes", async () => {
    const { t, partner } = suite;
    const me = await linkKarabastUser("kb-exporter");
    const them = await linkKarabastUser("kb-export-rival");
    const mine: SimulatedPlayer = { id: "kb-exporter", accessToken: me.accessToken, deckLeader: LEADER, base: BASE, deckLink: "https://swudb.com/deck/x", deckName: 'Mine, "v2"' };
    const theirs: SimulatedPlayer = { id: "kb-export-rival", accessToken: them.accessToken, base: BASE };
    const send = async (game: SimulatedGame) => {
      const res = await postJson(t, "/api/integration/karabast/game-result", karabastGameResultBody(partner, game));
      expect(res.status, await res.clone().text()).toBe(200);
    };
    // A best-of-three, then a rematch in the same lobby (sequence back to 1), a draw reported as two
    // winners, a game nobody won, and a deck from another site (deck id null).
    const lobby = "lobby-export";
    await send({ gameId: "exp-1", lobbyId: lobby, sequenceNumber: 1, winners: ["kb-exporter"], players: [mine, theirs] });
    await send({ gameId: "exp-2", lobbyId: lobby, sequenceNumber: 2, winners: ["kb-export-rival"], players: [mine, theirs] });
    await send({ gameId: "exp-3", lobbyId: lobby, sequenceNumber: 3, winners: ["kb-exporter"], players: [mine, theirs] });
    await send({ gameId: "exp-4", lobbyId: lobby, sequenceNumber: 1, winners: ["kb-exporter", "kb-export-rival"], players: [mine, theirs] });
    await send({ gameId: "exp-5", lobbyId: "lobby-export-2", winners: [], players: [theirs, mine] });
    const files = async () =>
      Promise.all(["csv", "json"].map(async (type) => (await t.app.request(`/api/stats/export?as=${type}`, { headers: { cookie: me.cookie } })).text()));
    const fromGames = await files();
    const [newest] = rowsOf<{ id: number }>(await suite.tdb.database.db.execute(sql`select max(id)::float8 as id from game`));
    await t.deps.services.seatExportFold.runOnce(newest!.id);
    const [records] = rowsOf<{ n: number }>(await suite.tdb.database.db.execute(sql`select count(*)::int as n from seat_export where user_id = ${me.userId}`));
    expect(records!.n).toBe(5);
    expect(await files()).toEqual(fromGames);
    const games = (JSON.parse(fromGames[1]!) as { games: { gameId: string; matchId: string | null; result: string; deckId: string | null }[] }).games;
    expect(games.map((g) => `${g.gameId} ${g.matchId} ${g.result} ${g.deckId}`).sort()).toEqual([
      `exp-1 ${lobby}:exp-1 win null`,
      `exp-2 ${lobby}:exp-1 loss null`,
      `exp-3 ${lobby}:exp-1 win null`,
      "exp-4 null draw null",
      "exp-5 null draw null",
    ]);
  });
});
