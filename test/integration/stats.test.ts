/**
 * Statistics over a small hand-computed data set, ingested through the real endpoint with real
 * access tokens. "Me" plays nine games across four ISO weeks (one of them empty), two leaders,
 * two decks and three lobbies with more than one game (a won, a lost and a drawn match, 1–1):
 *
 *  #  finished (UTC)     format   my leader/base  deck  opponent   result  lobby / seq
 *  1  Jan 05 10:00       premier  L1 B1           D1    O1 OB1     win     x / 1   (opponent: linked user "other")
 *  2  Jan 05 10:30       premier  L1 B1           D1    O1 OB1     loss    x / 2   (me in seat 1)
 *  3  Jan 05 11:00       premier  L1 B1           D1    O1 OB1     win     x / 3
 *  4  Jan 07 12:00       premier  L2 B2           D2    O2 OB2     loss    y / 1
 *  9  Jan 07 12:30       premier  L2 B2           D2    O2 OB2     loss    y / 2
 *  5  Jan 08 12:00       open     L1 B1           D1    O2 OB2     win     z / 1
 *  6  Jan 13 09:00       premier  L2 B2           D2    O1 OB1     win     w / 1   (me in seat 1)
 *  7  Jan 14 09:00       premier  L2 B2           D2    O1 OB1     loss    w / 2
 *  8  Jan 27 09:00       eternal  L1 B2           D1    O2 OB2     loss    —
 * plus one game whose token is not mine (not counted) and games of another user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStats } from "../support/rate-intervals.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { linkNewUser, postJson, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, signUp, type TestApp } from "../support/test-app.js";

const L1 = { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" };
const L2 = { id: "2580909557", name: "Quigon Jinn", subtitle: "Student of the Living Force" };
const O1 = { id: "0011262813", name: "Wedge Antilles", subtitle: "Leader of Red Squadron" };
const O2 = { id: "0024560758", name: "Darth Maul", subtitle: "Sith Revealed" };
const B1 = { id: "4301437393", name: "Thermal Oscillator" };
const B2 = { id: "0450346170", name: "Jedi Temple" };
const OB1 = { id: "0119018087", name: "Shadowed Undercity" };
const OB2 = { id: "9999999999", name: "9999999999" }; // not in the catalogue: the id stands in
const C1 = { id: "5876721507", name: "Aggressive Negotiations" };
const C2 = { id: "6234506067", name: "Cassian Andor", subtitle: "Rebellions Are Built on Hope" };
const CX = { id: "0000000001", name: "0000000001" };
const D1 = { id: "deck-1", name: "Han Aggro" };
const D2 = { id: "deck-2", name: "Qui-Gon" };

type Metrics = Record<string, Partial<Record<"played" | "resourced" | "activated" | "drawn" | "discarded", number>>>;

interface Spec {
  n: number;
  finished: string;
  format: string;
  leader: string;
  base: string;
  deck: { id: string; name: string };
  opponent: [string, string];
  win: boolean;
  lobby: string | null;
  seq: number;
  metrics?: Metrics;
  meInSeat1?: boolean;
  opponentId?: string;
}

const GAMES: Spec[] = [
  { n: 1, finished: "2026-01-05T10:00:00Z", format: "premier", leader: L1.id, base: B1.id, deck: D1, opponent: [O1.id, OB1.id], win: true, lobby: "x", seq: 1, opponentId: "kb-other",
    metrics: { [C1.id]: { played: 1, drawn: 2 }, [C2.id]: { drawn: 1, resourced: 1 } } },
  { n: 2, finished: "2026-01-05T10:30:00Z", format: "premier", leader: L1.id, base: B1.id, deck: D1, opponent: [O1.id, OB1.id], win: false, lobby: "x", seq: 2, meInSeat1: true,
    metrics: { [C1.id]: { drawn: 1, resourced: 1 }, [C2.id]: { played: 2, drawn: 2, activated: 1 } } },
  { n: 3, finished: "2026-01-05T11:00:00Z", format: "premier", leader: L1.id, base: B1.id, deck: D1, opponent: [O1.id, OB1.id], win: true, lobby: "x", seq: 3,
    metrics: { [C1.id]: { played: 2, drawn: 2, discarded: 1 }, [C2.id]: {} } },
  { n: 4, finished: "2026-01-07T12:00:00Z", format: "premier", leader: L2.id, base: B2.id, deck: D2, opponent: [O2.id, OB2.id], win: false, lobby: "y", seq: 1 },
  { n: 9, finished: "2026-01-07T12:30:00Z", format: "premier", leader: L2.id, base: B2.id, deck: D2, opponent: [O2.id, OB2.id], win: false, lobby: "y", seq: 2 },
  { n: 5, finished: "2026-01-08T12:00:00Z", format: "open", leader: L1.id, base: B1.id, deck: D1, opponent: [O2.id, OB2.id], win: true, lobby: "z", seq: 1,
    metrics: { [C1.id]: { played: 1, drawn: 1 } } },
  { n: 6, finished: "2026-01-13T09:00:00Z", format: "premier", leader: L2.id, base: B2.id, deck: D2, opponent: [O1.id, OB1.id], win: true, lobby: "w", seq: 1, meInSeat1: true },
  { n: 7, finished: "2026-01-14T09:00:00Z", format: "premier", leader: L2.id, base: B2.id, deck: D2, opponent: [O1.id, OB1.id], win: false, lobby: "w", seq: 2 },
  { n: 8, finished: "2026-01-27T09:00:00Z", format: "eternal", leader: L1.id, base: B2.id, deck: D1, opponent: [O2.id, OB2.id], win: false, lobby: null, seq: 1,
    metrics: { [C1.id]: {}, [C2.id]: { played: 1, drawn: 1, resourced: 1 }, [CX.id]: { drawn: 1 } } },
];

const full = (m: Metrics = {}) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { played: 0, resourced: 0, activated: 0, drawn: 0, discarded: 0, ...v }]));

describe.each(databaseKinds)("GET /api/stats/* (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };
  let me: { cookie: string; accessToken: string };
  let other: { cookie: string; accessToken: string };
  let nobody: { cookie: string };

  async function linkKarabastUser(email: string, externalUserId: string) {
    const { cookie, tokens } = await linkNewUser(t, partner, { email, externalUserId });
    return { cookie, accessToken: tokens.access_token };
  }

  function payload(g: Spec, myToken: string) {
    const mine = {
      data: { id: "kb-me", accessToken: myToken, leader: g.leader, base: g.base, deck: { ...g.deck, deckSource: "swuBase" }, isWinner: g.win },
      cardMetrics: full(g.metrics),
    };
    const theirs = {
      data: {
        id: g.opponentId ?? "kb-stranger",
        accessToken: g.opponentId ? other.accessToken : null,
        leader: g.opponent[0],
        base: g.opponent[1],
        deck: { id: "unknown", name: "Their deck" },
        isWinner: !g.win,
      },
      // The opponent's metrics must never leak into mine.
      cardMetrics: full({ [C1.id]: { played: 5, drawn: 5 } }),
    };
    const finished = new Date(g.finished);
    return {
      gameId: `stats-${g.n}`,
      lobbyId: g.lobby,
      startedAt: new Date(finished.getTime() - 20 * 60_000 - g.n * 1000).toISOString(),
      finishedAt: g.finished,
      roundNumber: g.n,
      sequenceNumber: g.seq,
      format: g.format,
      players: g.meInSeat1 ? [theirs, mine] : [mine, theirs],
    };
  }

  const get = (path: string, cookie = me.cookie) => getStats(t, path, cookie);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    me = await linkKarabastUser("me@example.com", "kb-me");
    other = await linkKarabastUser("other@example.com", "kb-other");
    nobody = await signUp(t.app, { email: "nobody@example.com" });
    const send = (data: unknown) =>
      postJson(t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data });
    for (const g of GAMES) expect((await send(payload(g, me.accessToken))).status).toBe(200);
    // Claims to be kb-me but carries the other user's token: not mine, not counted.
    expect((await send({ ...payload(GAMES[0]!, other.accessToken), gameId: "stats-foreign" })).status).toBe(200);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("overview: totals and the recent games, paged", async () => {
    const body = await get("overview?page=1&pageSize=3");
    expect(body).toEqual({
      games: 9,
      wins: 4,
      losses: 5,
      draws: 0,
      winRate: 4 / 9,
      recent: {
        items: [
          { gameId: "stats-8", finishedAt: "2026-01-27T09:00:00.000Z", format: "eternal", myLeader: L1, myBase: B2, opponentLeader: O2, opponentBase: OB2, result: "loss", rounds: 8, durationSeconds: 1208 },
          { gameId: "stats-7", finishedAt: "2026-01-14T09:00:00.000Z", format: "premier", myLeader: L2, myBase: B2, opponentLeader: O1, opponentBase: OB1, result: "loss", rounds: 7, durationSeconds: 1207 },
          { gameId: "stats-6", finishedAt: "2026-01-13T09:00:00.000Z", format: "premier", myLeader: L2, myBase: B2, opponentLeader: O1, opponentBase: OB1, result: "win", rounds: 6, durationSeconds: 1206 },
        ],
        page: 1,
        pageSize: 3,
        total: 9,
      },
    });
    const page2 = (await get("overview?page=2&pageSize=3")) as { recent: { items: { gameId: string }[] } };
    expect(page2.recent.items.map((i) => i.gameId)).toEqual(["stats-5", "stats-9", "stats-4"]);
    const page4 = (await get("overview?page=4&pageSize=3")) as { recent: { items: unknown[]; total: number } };
    expect(page4.recent).toMatchObject({ items: [], total: 9 });
    const defaults = (await get("overview")) as { recent: { items: unknown[]; page: number; pageSize: number } };
    expect(defaults.recent).toMatchObject({ page: 1, pageSize: 20 });
    expect(defaults.recent.items).toHaveLength(9);
  });

  it("overview honours format, from and to", async () => {
    const totals = async (query: string) => {
      const b = (await get(`overview?${query}`)) as { games: number; wins: number; losses: number };
      return [b.games, b.wins, b.losses];
    };
    expect(await totals("format=premier")).toEqual([7, 3, 4]);
    expect(await totals("format=open")).toEqual([1, 1, 0]);
    expect(await totals("format=limited")).toEqual([0, 0, 0]);
    expect(await totals("from=2026-01-12")).toEqual([3, 1, 2]);
    expect(await totals("to=2026-01-07")).toEqual([5, 2, 3]); // a date-only "to" includes that day
    expect(await totals("from=2026-01-07&to=2026-01-13")).toEqual([4, 2, 2]);
    expect(await totals("from=2026-01-05T10:30:00Z&to=2026-01-05T11:00:00Z")).toEqual([2, 1, 1]);
    expect(await totals("format=premier&from=2026-01-06")).toEqual([4, 1, 3]);
  });

  it("by leader, base and deck", async () => {
    expect(await get("leaders")).toEqual({
      items: [
        { leader: L1, games: 5, wins: 3, losses: 2, draws: 0, winRate: 0.6 },
        { leader: L2, games: 4, wins: 1, losses: 3, draws: 0, winRate: 0.25 },
      ],
    });
    expect(await get("bases")).toEqual({
      items: [
        { base: B2, games: 5, wins: 1, losses: 4, draws: 0, winRate: 0.2 },
        { base: B1, games: 4, wins: 3, losses: 1, draws: 0, winRate: 0.75 },
      ],
    });
    expect(await get("decks")).toEqual({
      items: [
        { deck: { ...D1, source: "swuBase" }, leader: L1, base: B2, games: 5, wins: 3, losses: 2, draws: 0, winRate: 0.6, lastPlayedAt: "2026-01-27T09:00:00.000Z" },
        { deck: { ...D2, source: "swuBase" }, leader: L2, base: B2, games: 4, wins: 1, losses: 3, draws: 0, winRate: 0.25, lastPlayedAt: "2026-01-14T09:00:00.000Z" },
      ],
    });
    expect(await get("leaders?format=open")).toEqual({ items: [{ leader: L1, games: 1, wins: 1, losses: 0, draws: 0, winRate: 1 }] });
  });

  it("matchups: my leader against the opponent's (items, as before the matrix added byOpponentBase)", async () => {
    expect(await get("matchups")).toMatchObject({
      by: "leader",
      minGames: 0,
      items: [
        { myLeader: L1, opponentLeader: O1, games: 3, wins: 2, losses: 1, draws: 0, winRate: 2 / 3 },
        { myLeader: L2, opponentLeader: O1, games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
        { myLeader: L1, opponentLeader: O2, games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
        { myLeader: L2, opponentLeader: O2, games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 },
      ],
    });
  });

  it("weekly: ISO weeks from Monday, with the empty week in between", async () => {
    expect(await get("weekly")).toEqual({
      items: [
        { weekStart: "2026-01-05", games: 6, wins: 3, losses: 3, draws: 0, winRate: 0.5 },
        { weekStart: "2026-01-12", games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
        { weekStart: "2026-01-19", games: 0, wins: 0, losses: 0, draws: 0, winRate: null },
        { weekStart: "2026-01-26", games: 1, wins: 0, losses: 1, draws: 0, winRate: 0 },
      ],
    });
    expect(await get("weekly?to=2026-01-18")).toEqual({
      items: [
        { weekStart: "2026-01-05", games: 6, wins: 3, losses: 3, draws: 0, winRate: 0.5 },
        { weekStart: "2026-01-12", games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
      ],
    });
  });

  it("matches: best of three by lobby run; 1–1 is a drawn match", async () => {
    const game = (n: number, seq: number, result: string, myLeader: object, opponentLeader: object, finishedAt: string) => ({
      gameId: `stats-${n}`,
      sequenceNumber: seq,
      finishedAt,
      result,
      myLeader,
      opponentLeader,
    });
    expect(await get("matches")).toEqual({
      matches: 3,
      wins: 1,
      losses: 1,
      draws: 1,
      winRate: 1 / 3,
      items: [
        {
          matchId: "w:stats-6", lobbyId: "w", format: "premier", finishedAt: "2026-01-14T09:00:00.000Z", score: "1–1", myWins: 1, opponentWins: 1, draws: 0, result: "draw",
          games: [game(6, 1, "win", L2, O1, "2026-01-13T09:00:00.000Z"), game(7, 2, "loss", L2, O1, "2026-01-14T09:00:00.000Z")],
        },
        {
          matchId: "y:stats-4", lobbyId: "y", format: "premier", finishedAt: "2026-01-07T12:30:00.000Z", score: "0–2", myWins: 0, opponentWins: 2, draws: 0, result: "loss",
          games: [game(4, 1, "loss", L2, O2, "2026-01-07T12:00:00.000Z"), game(9, 2, "loss", L2, O2, "2026-01-07T12:30:00.000Z")],
        },
        {
          matchId: "x:stats-1", lobbyId: "x", format: "premier", finishedAt: "2026-01-05T11:00:00.000Z", score: "2–1", myWins: 2, opponentWins: 1, draws: 0, result: "win",
          games: [
            game(1, 1, "win", L1, O1, "2026-01-05T10:00:00.000Z"),
            game(2, 2, "loss", L1, O1, "2026-01-05T10:30:00.000Z"),
            game(3, 3, "win", L1, O1, "2026-01-05T11:00:00.000Z"),
          ],
        },
      ],
      page: 1,
      pageSize: 20,
      total: 3,
    });
    const second = (await get("matches?pageSize=1&page=2")) as { items: { matchId: string }[]; total: number };
    expect(second.items.map((m) => m.matchId)).toEqual(["y:stats-4"]);
    expect(second.total).toBe(3);
    expect(await get("matches?page=9")).toMatchObject({ matches: 3, wins: 1, losses: 1, draws: 1, items: [], page: 9, total: 3 });
  });

  it("deck cards: averages per game and win rate when played or not", async () => {
    expect(await get("decks/deck-1/cards")).toEqual({
      deck: { ...D1, source: "swuBase" },
      leader: L1,
      base: B2,
      games: 5,
      wins: 3,
      losses: 2,
      draws: 0,
      winRate: 0.6,
      items: [
        {
          card: C1, games: 5, avg: { drawn: 1.2, played: 0.8, resourced: 0.2, activated: 0, discarded: 0.2 },
          whenPlayed: { games: 3, wins: 3, losses: 0, draws: 0, winRate: 1 }, whenNotPlayed: { games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 },
        },
        {
          card: C2, games: 4, avg: { drawn: 1, played: 0.75, resourced: 0.5, activated: 0.25, discarded: 0 },
          whenPlayed: { games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 }, whenNotPlayed: { games: 2, wins: 2, losses: 0, draws: 0, winRate: 1 },
        },
        {
          card: CX, games: 1, avg: { drawn: 1, played: 0, resourced: 0, activated: 0, discarded: 0 },
          whenPlayed: { games: 0, wins: 0, losses: 0, draws: 0, winRate: null }, whenNotPlayed: { games: 1, wins: 0, losses: 1, draws: 0, winRate: 0 },
        },
      ],
    });
    const filtered = (await get("decks/deck-1/cards?format=premier")) as { games: number; items: { card: { id: string }; games: number }[] };
    expect(filtered.games).toBe(3);
    expect(filtered.items.map((i) => [i.card.id, i.games])).toEqual([[C1.id, 3], [C2.id, 3]]);
    const d2 = (await get("decks/deck-2/cards")) as { games: number; items: unknown[] };
    expect(d2).toMatchObject({ games: 4, wins: 1, items: [] });
  });

  it("every rate carries its 95 % Wilson interval (draws count as games not won)", async () => {
    const res = await t.app.request("/api/stats/leaders", { headers: { cookie: me.cookie } });
    const { items } = (await res.json()) as { items: { winRate: number; winRateInterval: { low: number; high: number } }[] };
    // L1: 3 of 5 → 23.07–88.24 %; L2: 1 of 4 → 4.56–69.94 % (hand-computed, z = 1.96).
    expect(items.map((r) => [r.winRate, +r.winRateInterval.low.toFixed(4), +r.winRateInterval.high.toFixed(4)])).toEqual([
      [0.6, 0.2307, 0.8824],
      [0.25, 0.0456, 0.6994],
    ]);
    const empty = (await (await t.app.request("/api/stats/overview", { headers: { cookie: nobody.cookie } })).json()) as Record<string, unknown>;
    expect(empty.winRateInterval).toBeNull();
  });

  it("filters by leader, deck and best-of (Bo3: games of a lobby run with a game of sequence ≥ 2)", async () => {
    const totals = async (query: string, path = "overview") => {
      const b = (await get(`${path}?${query}`)) as { games: number; wins: number; losses: number };
      return [b.games, b.wins, b.losses];
    };
    expect(await totals(`leader=${L1.id}`)).toEqual([5, 3, 2]);
    expect(await totals(`leader=${L2.id}`)).toEqual([4, 1, 3]);
    expect(await totals("leader=0000000000")).toEqual([0, 0, 0]);
    expect(await totals("deck=deck-2")).toEqual([4, 1, 3]);
    expect(await totals(`deck=deck-1&leader=${L2.id}`)).toEqual([0, 0, 0]);
    // Bo1: game 5 (lobby z, alone) and game 8 (no lobby); Bo3: the other seven.
    expect(await totals("bo=1")).toEqual([2, 1, 1]);
    expect(await totals("bo=3")).toEqual([7, 3, 4]);
    expect(await totals("bo=")).toEqual([9, 4, 5]);
    // A date range that leaves one game of a match still counts it as Bo3.
    expect(await totals("bo=3&from=2026-01-05T10:30:00Z&to=2026-01-05T10:30:00Z")).toEqual([1, 0, 1]);
    expect(await totals("bo=1&from=2026-01-05T10:30:00Z&to=2026-01-05T10:30:00Z")).toEqual([0, 0, 0]);
    expect(await totals(`bo=1&leader=${L1.id}&format=eternal`)).toEqual([1, 0, 1]);

    expect(await get("leaders?bo=1")).toEqual({ items: [{ leader: L1, games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 }] });
    expect(await get(`bases?leader=${L1.id}`)).toEqual({
      items: [
        { base: B1, games: 4, wins: 3, losses: 1, draws: 0, winRate: 0.75 },
        { base: B2, games: 1, wins: 0, losses: 1, draws: 0, winRate: 0 },
      ],
    });
    expect(await get(`matchups?deck=deck-2&bo=3`)).toMatchObject({
      items: [
        { myLeader: L2, opponentLeader: O1, games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
        { myLeader: L2, opponentLeader: O2, games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 },
      ],
    });
    expect(await get(`weekly?leader=${L2.id}`)).toEqual({
      items: [
        { weekStart: "2026-01-05", games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 },
        { weekStart: "2026-01-12", games: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 },
      ],
    });
    expect(await get("matches?bo=1")).toMatchObject({ matches: 0, items: [], total: 0 });
    const bo3 = (await get("matches?bo=3")) as { matches: number; items: { matchId: string }[] };
    expect(bo3.items.map((m) => m.matchId)).toEqual(["w:stats-6", "y:stats-4", "x:stats-1"]);
    const l2 = (await get(`matches?leader=${L2.id}`)) as { matches: number; wins: number; losses: number; draws: number; items: { matchId: string }[] };
    expect([l2.matches, l2.wins, l2.losses, l2.draws, l2.items.map((m) => m.matchId)]).toEqual([2, 0, 1, 1, ["w:stats-6", "y:stats-4"]]);
    const cards = (await get("decks/deck-1/cards?bo=1")) as { games: number; wins: number; items: { card: { id: string }; games: number }[] };
    expect([cards.games, cards.wins]).toEqual([2, 1]);
    // Ordered by average plays: Cassian played once in game 8, Negotiations once in two games.
    expect(cards.items.map((c) => [c.card.id, c.games])).toEqual([
      [C2.id, 1],
      [C1.id, 2],
      [CX.id, 1],
    ]);
  });

  it("another user sees only their own games", async () => {
    const overview = (await get("overview", other.cookie)) as { games: number; recent: { items: unknown[] } };
    // Game 1 and its copy "stats-foreign" as the opponent (their token in the kb-me seat counted for nobody).
    expect(overview.games).toBe(2);
    expect(await get("leaders", other.cookie)).toEqual({ items: [{ leader: O1, games: 2, wins: 0, losses: 2, draws: 0, winRate: 0 }] });
  });

  it("a user without games gets zeros and empty lists", async () => {
    const c = nobody.cookie;
    expect(await get("overview", c)).toEqual({ games: 0, wins: 0, losses: 0, draws: 0, winRate: null, recent: { items: [], page: 1, pageSize: 20, total: 0 } });
    for (const path of ["leaders", "bases", "decks", "weekly"]) expect(await get(path, c)).toEqual({ items: [] });
    expect(await get("matchups", c)).toEqual({ by: "leader", minGames: 0, items: [], byOpponentBase: [] });
    expect(await get("cards", c)).toEqual({ games: 0, wins: 0, losses: 0, draws: 0, winRate: null, gamesWithCards: 0, items: [] });
    expect(await get("matches", c)).toEqual({ matches: 0, wins: 0, losses: 0, draws: 0, winRate: null, items: [], page: 1, pageSize: 20, total: 0 });
    expect(await get("decks/deck-1/cards", c)).toEqual({
      deck: { id: "deck-1", name: null, source: null }, leader: null, base: null, games: 0, wins: 0, losses: 0, draws: 0, winRate: null, items: [],
    });
  });

  it("refuses bad filters with a 400 naming the parameter, and strangers with 401", async () => {
    const cases: [string, RegExp][] = [
      ["overview?from=yesterday", /^from must be an ISO date/],
      ["leaders?to=2026-02-30", /^to must be an ISO date/],
      ["weekly?to=2026-01-01T25:00:00Z", /^to must be an ISO date/],
      ["bases?from=2026-02-01&to=2026-01-01", /^from must not be after to$/],
      ["overview?pageSize=101", /^pageSize must be an integer from 1 to 100$/],
      ["matches?page=0", /^page must be an integer from 1 to 100000$/],
      ["overview?page=abc", /^page must be an integer/],
      [`matchups?format=${"f".repeat(51)}`, /^format is too long/],
      [`decks/${"d".repeat(201)}/cards`, /^deckId is too long/],
      ["overview?from=0000-12-31", /^from must be a date between 0001-01-01 and 9999-12-31$/],
      ["leaders?to=%2B010000-01-01T00:00:00Z", /^to must be an ISO date/],
      ["overview?bo=2", /^bo must be 1 \(best of one\) or 3 \(best of three\)$/],
      ["matches?bo=three", /^bo must be 1/],
      [`leaders?leader=${"l".repeat(101)}`, /^leader is too long \(at most 100 characters\)$/],
      [`weekly?deck=${"d".repeat(201)}`, /^deck is too long \(at most 200 characters\)$/],
    ];
    for (const [path, message] of cases) {
      const res = await t.app.request(`/api/stats/${path}`, { headers: { cookie: me.cookie } });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description, path).toMatch(message);
    }
    // The last representable day is a valid bound (it means "no upper bound"), not a 500.
    const all = (await get("overview")) as { games: number };
    for (const to of ["9999-12-31", "9999-12-31T23:59:59.999Z"]) {
      expect(((await get(`overview?to=${to}`)) as { games: number }).games, to).toBe(all.games);
      expect(((await get(`bases?from=0001-01-01&to=${to}`)) as { items: unknown[] }).items.length, to).toBeGreaterThan(0);
    }
    const anonymous = await t.app.request("/api/stats/overview");
    expect(anonymous.status).toBe(401);
    expect((await t.app.request("/api/stats/nothing", { headers: { cookie: me.cookie } })).status).toBe(404);
  });
});
