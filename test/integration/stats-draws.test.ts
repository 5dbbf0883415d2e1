/**
 * Draws and match identity in every statistic, over games ingested through the real endpoint in
 * the deployed client's shape. Karabast reports a draw as both players winning (D2 below) and
 * neither winning is possible too (D0); both are a draw for both seats, neither a win nor a loss.
 * Win rate = wins ÷ games. "Me" plays twelve games in three lobbies with rematches:
 *
 *  #   finished (UTC)  lobby/seq  my leader/base  deck      opponent  result
 *  1   Jan 05 10:00    r / 1      Han Oscillator  Han Draws Wedge     D2  (opponent: linked user "rival")
 *  2   Jan 05 10:30    r / 2      Han Oscillator  Han Draws Wedge     win       ← match r:1  1–0–1 win
 *  3   Jan 05 11:00    r / 1      Han Oscillator  Han Draws Wedge     loss      (rematch in the same lobby)
 *  4   Jan 05 11:30    r / 2      Han Oscillator  Han Draws Wedge     D0  (rival; me in seat 1) ← r:2  0–1–1 loss
 *  5   Jan 06 09:00    t / 1      Qui-Gon Temple  Qui-Gon   Maul      win
 *  6   Jan 06 09:30    t / 2      Qui-Gon Temple  Qui-Gon   Maul      loss
 *  7   Jan 06 10:00    t / 3      Qui-Gon Temple  Qui-Gon   Maul      D2  (me in seat 1) ← t:1  1–1–1 draw
 *  8   Jan 06 10:30    t / 1      Qui-Gon Temple  Qui-Gon   Maul      win
 *  9   Jan 06 11:00    t / 2      Qui-Gon Temple  Qui-Gon   Maul      win       ← t:2  2–0 win
 * 10   Jan 13 09:00    u / 1      Han Temple      Han Draws Maul      loss      (a Bo1: not a listed match)
 * 11   Jan 13 09:30    u / 1      Han Temple      Han Draws Maul      D0
 * 12   Jan 13 10:00    u / 2      Han Temple      Han Draws Maul      D2  (opponent's base unknown) ← u:2  0–0–2 draw
 *
 * Counting the raw winner flag instead would make games 1, 7 and 12 wins; grouping matches by
 * lobby would merge r's two matches, t's two, and u's Bo1 with its next match.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/repositories/rows.js";
import { getStats } from "../support/rate-intervals.js";
import { databaseKinds } from "../support/databases.js";
import { linkNewUser, postJson } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";

const HAN = { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" };
const QUIGON = { id: "2580909557", name: "Quigon Jinn", subtitle: "Student of the Living Force" };
const WEDGE = { id: "0011262813", name: "Wedge Antilles", subtitle: "Leader of Red Squadron" };
const MAUL = { id: "0024560758", name: "Darth Maul", subtitle: "Sith Revealed" };
const OSCILLATOR = { id: "4301437393", name: "Thermal Oscillator" };
const TEMPLE = { id: "0450346170", name: "Jedi Temple" };
const UNDERCITY = { id: "0119018087", name: "Shadowed Undercity" };
const NEGOTIATIONS = { id: "5876721507", name: "Aggressive Negotiations" };
const HAN_DECK = { id: "deck-han", name: "Han Draws" };
const QUI_DECK = { id: "deck-qui", name: "Qui-Gon" };

/** win, loss, draw with both flags set (the deployed client's draw), draw with neither. */
type Outcome = "W" | "L" | "D2" | "D0";

interface Spec {
  n: number;
  finished: string;
  lobby: string;
  seq: number;
  leader: string;
  base: string;
  deck: { id: string; name?: string; deckSource?: string };
  opponent: [string, string];
  outcome: Outcome;
  /** Aggressive Negotiations played this many times (listed in the metrics of every Han Draws game). */
  played?: number;
  rival?: boolean;
  meInSeat1?: boolean;
}

const han = (n: number, finished: string, lobby: string, seq: number, outcome: Outcome, played: number, extra: Partial<Spec> = {}): Spec => ({
  n, finished, lobby, seq, outcome, played, leader: HAN.id, base: OSCILLATOR.id, deck: HAN_DECK, opponent: [WEDGE.id, UNDERCITY.id], ...extra,
});
const qui = (n: number, finished: string, seq: number, outcome: Outcome, extra: Partial<Spec> = {}): Spec => ({
  n, finished, lobby: "t", seq, outcome, leader: QUIGON.id, base: TEMPLE.id, deck: QUI_DECK, opponent: [MAUL.id, UNDERCITY.id], ...extra,
});
const vsMaul = { base: TEMPLE.id, opponent: [MAUL.id, UNDERCITY.id] as [string, string] };

const GAMES: Spec[] = [
  han(1, "2026-01-05T10:00:00Z", "r", 1, "D2", 1, { rival: true }),
  han(2, "2026-01-05T10:30:00Z", "r", 2, "W", 2),
  han(3, "2026-01-05T11:00:00Z", "r", 1, "L", 0),
  han(4, "2026-01-05T11:30:00Z", "r", 2, "D0", 0, { rival: true, meInSeat1: true }),
  qui(5, "2026-01-06T09:00:00Z", 1, "W"),
  qui(6, "2026-01-06T09:30:00Z", 2, "L"),
  qui(7, "2026-01-06T10:00:00Z", 3, "D2", { meInSeat1: true }),
  qui(8, "2026-01-06T10:30:00Z", 1, "W"),
  qui(9, "2026-01-06T11:00:00Z", 2, "W"),
  han(10, "2026-01-13T09:00:00Z", "u", 1, "L", 1, vsMaul),
  han(11, "2026-01-13T09:30:00Z", "u", 1, "D0", 0, vsMaul),
  han(12, "2026-01-13T10:00:00Z", "u", 2, "D2", 0, { base: TEMPLE.id, opponent: [MAUL.id, "unknown"] }),
];

const FLAGS: Record<Outcome, [boolean, boolean]> = { W: [true, false], L: [false, true], D2: [true, true], D0: [false, false] };

const tally = (wins: number, losses: number, draws: number) => {
  const games = wins + losses + draws;
  return { games, wins, losses, draws, winRate: games ? wins / games : null };
};

describe.each(databaseKinds)("draws and matches in the statistics (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let me: { cookie: string; accessToken: string };
  let rival: { cookie: string; accessToken: string };
  let pasted: { cookie: string; accessToken: string };

  async function linkKarabastUser(email: string, externalUserId: string) {
    const { cookie, tokens } = await linkNewUser(suite.t, suite.partner, { email, externalUserId });
    return { cookie, accessToken: tokens.access_token };
  }

  /** The `data` of a game result as the deployed client sends it ("me" unless another linked player is named). */
  function payload(g: Spec, player = { id: "kb-me", accessToken: me.accessToken }) {
    const [mineWins, theirsWin] = FLAGS[g.outcome];
    const metrics = g.played === undefined ? {} : { [NEGOTIATIONS.id]: { played: g.played, resourced: 0, activated: 0, drawn: 1, discarded: 0 } };
    const mine = {
      data: { ...player, leader: g.leader, base: g.base, deck: { deckSource: "swuBase", ...g.deck }, isWinner: mineWins },
      cardMetrics: metrics,
    };
    const theirs = {
      data: {
        id: g.rival ? "kb-rival" : "kb-stranger",
        accessToken: g.rival ? rival.accessToken : null,
        leader: g.opponent[0],
        base: g.opponent[1],
        deck: { id: "unknown", deckSource: "other" },
        isWinner: theirsWin,
      },
      cardMetrics: {},
    };
    const finished = new Date(g.finished);
    return {
      gameId: `dr-${g.n}`,
      lobbyId: g.lobby,
      startedAt: new Date(finished.getTime() - 20 * 60_000).toISOString(),
      finishedAt: g.finished,
      roundNumber: 6,
      sequenceNumber: g.seq,
      format: "premier",
      players: g.meInSeat1 ? [theirs, mine] : [mine, theirs],
    };
  }

  const send = async (data: unknown) => {
    const { clientId, secret } = suite.partner;
    const res = await postJson(suite.t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: clientId, client_secret: secret, data });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  const get = (path: string, cookie = me.cookie) => getStats(suite.t, path, cookie);

  beforeAll(async () => {
    me = await linkKarabastUser("drawn@example.com", "kb-me");
    rival = await linkKarabastUser("rival@example.com", "kb-rival");
    pasted = await linkKarabastUser("pasted@example.com", "kb-pasted");
    for (const g of GAMES) await send(payload(g));
  });

  it("stores a draw for both seats, whether both or neither were reported as the winner", async () => {
    const seats = rowsOf<{ game_id: string; seat: number; is_winner: boolean; result: string }>(
      await suite.tdb.database.db.execute(sql`
        select g.game_id, s.seat, s.is_winner, s.result from game_seat s join game g on g.id = s.game_id
        where g.game_id in ('dr-1', 'dr-4', 'dr-2') order by g.game_id, s.seat`),
    );
    expect(seats.map((s) => [s.game_id, s.seat, s.is_winner, s.result])).toEqual([
      ["dr-1", 0, true, "draw"], ["dr-1", 1, true, "draw"],
      ["dr-2", 0, true, "win"], ["dr-2", 1, false, "loss"],
      ["dr-4", 0, false, "draw"], ["dr-4", 1, false, "draw"],
    ]);
  });

  it("overview: W–L–D totals, win rate = wins ÷ games, each recent game's result", async () => {
    const body = (await get("overview?pageSize=12")) as { winRate: number; recent: { items: { gameId: string; result: string }[]; total: number } };
    expect(body).toMatchObject({ ...tally(4, 3, 5), recent: { total: 12 } });
    expect(body.winRate).toBe(1 / 3);
    expect(body.recent.items.map((g) => [g.gameId, g.result])).toEqual([
      ["dr-12", "draw"], ["dr-11", "draw"], ["dr-10", "loss"], ["dr-9", "win"], ["dr-8", "win"], ["dr-7", "draw"],
      ["dr-6", "loss"], ["dr-5", "win"], ["dr-4", "draw"], ["dr-3", "loss"], ["dr-2", "win"], ["dr-1", "draw"],
    ]);
    expect(body.recent.items[0]).toMatchObject({ myLeader: HAN, myBase: TEMPLE, opponentLeader: MAUL, opponentBase: { id: "unknown", name: "Unknown base" } });
    // The opponent's side of the same draws: a draw for them too, not a loss.
    expect(await get("overview", rival.cookie)).toMatchObject(tally(0, 0, 2));
    expect(await get("overview?from=2026-01-13", me.cookie)).toMatchObject(tally(0, 1, 2));
  });

  it("by leader, base, deck and matchup", async () => {
    expect(await get("leaders")).toEqual({ items: [{ leader: HAN, ...tally(1, 2, 4) }, { leader: QUIGON, ...tally(3, 1, 1) }] });
    expect(await get("bases")).toEqual({ items: [{ base: TEMPLE, ...tally(3, 2, 3) }, { base: OSCILLATOR, ...tally(1, 1, 2) }] });
    expect(await get("decks")).toEqual({
      items: [
        { deck: { ...HAN_DECK, source: "swuBase" }, leader: HAN, base: TEMPLE, ...tally(1, 2, 4), lastPlayedAt: "2026-01-13T10:00:00.000Z" },
        { deck: { ...QUI_DECK, source: "swuBase" }, leader: QUIGON, base: TEMPLE, ...tally(3, 1, 1), lastPlayedAt: "2026-01-06T11:00:00.000Z" },
      ],
    });
    expect(await get("matchups")).toEqual({
      by: "leader",
      minGames: 0,
      items: [
        { myLeader: QUIGON, opponentLeader: MAUL, ...tally(3, 1, 1) },
        { myLeader: HAN, opponentLeader: WEDGE, ...tally(1, 1, 2) },
        { myLeader: HAN, opponentLeader: MAUL, ...tally(0, 1, 2) },
      ],
      // Against the opponent's base: Han's games 1–4, 10, 11 against Undercity; game 12's base was not sent.
      byOpponentBase: [
        { myLeader: HAN, opponentBase: UNDERCITY, ...tally(1, 2, 3) },
        { myLeader: QUIGON, opponentBase: UNDERCITY, ...tally(3, 1, 1) },
        { myLeader: HAN, opponentBase: { id: "unknown", name: "Unknown base" }, ...tally(0, 0, 1) },
      ],
    });
  });

  it("weekly", async () => {
    expect(await get("weekly")).toEqual({
      items: [
        { weekStart: "2026-01-05", ...tally(4, 2, 3) },
        { weekStart: "2026-01-12", ...tally(0, 1, 2) },
      ],
    });
  });

  it("deck cards: W–L–D when the card was played and when it was not", async () => {
    const body = await get(`decks/${HAN_DECK.id}/cards`);
    expect(body).toMatchObject({ deck: { ...HAN_DECK, source: "swuBase" }, leader: HAN, base: TEMPLE, ...tally(1, 2, 4) });
    // Played in games 1 (draw), 2 (win), 10 (loss); listed but not played in 3 (loss), 4, 11, 12 (draws).
    expect(body.items).toEqual([
      {
        card: NEGOTIATIONS,
        games: 7,
        avg: { drawn: 1, played: expect.closeTo(4 / 7, 10) as number, resourced: 0, activated: 0, discarded: 0 },
        whenPlayed: tally(1, 1, 1),
        whenNotPlayed: tally(0, 1, 3),
      },
    ]);
  });

  it("matches: rematches in one lobby are separate matches; level is a draw", async () => {
    const game = (n: number, seq: number, result: string) => expect.objectContaining({ gameId: `dr-${n}`, sequenceNumber: seq, result });
    const match = (matchId: string, finishedAt: string, score: string, [myWins, opponentWins, draws]: number[], result: string, games: unknown[]) => ({
      matchId, lobbyId: matchId.split(":")[0], format: "premier", finishedAt, score, myWins, opponentWins, draws, result, games,
    });
    expect(await get("matches")).toEqual({
      matches: 5,
      wins: 2,
      losses: 1,
      draws: 2,
      winRate: 0.4,
      items: [
        // Lobby u: the Bo1 (game 10, sequence 1 only) is no listed match; 1, 1 starts a new run.
        match("u:dr-11", "2026-01-13T10:00:00.000Z", "0–0–2", [0, 0, 2], "draw", [game(11, 1, "draw"), game(12, 2, "draw")]),
        // Lobby t: 1, 2, 3, then 1 again: two matches.
        match("t:dr-8", "2026-01-06T11:00:00.000Z", "2–0", [2, 0, 0], "win", [game(8, 1, "win"), game(9, 2, "win")]),
        match("t:dr-5", "2026-01-06T10:00:00.000Z", "1–1–1", [1, 1, 1], "draw", [game(5, 1, "win"), game(6, 2, "loss"), game(7, 3, "draw")]),
        // Lobby r: 1, 2, 1, 2: two matches.
        match("r:dr-3", "2026-01-05T11:30:00.000Z", "0–1–1", [0, 1, 1], "loss", [game(3, 1, "loss"), game(4, 2, "draw")]),
        match("r:dr-1", "2026-01-05T10:30:00.000Z", "1–0–1", [1, 0, 1], "win", [game(1, 1, "draw"), game(2, 2, "win")]),
      ],
      page: 1,
      pageSize: 20,
      total: 5,
    });
    const page2 = (await get("matches?pageSize=2&page=2")) as { items: { matchId: string }[] };
    expect(page2.items.map((m) => m.matchId)).toEqual(["t:dr-5", "r:dr-3"]);
    expect(await get("matches?pageSize=2&page=9")).toMatchObject({ matches: 5, wins: 2, losses: 1, draws: 2, items: [] });
    // A filter keeps each remaining match's id.
    const later = (await get("matches?from=2026-01-06")) as { items: { matchId: string }[] };
    expect(later).toMatchObject({ matches: 3, wins: 1, losses: 0, draws: 2 });
    expect(later.items.map((m) => m.matchId)).toEqual(["u:dr-11", "t:dr-8", "t:dr-5"]);
  });

  it("a rematch whose first game was not reported starts a new match at its sequence number 2", async () => {
    // Karabast reports a game only once it reached round 2: a rematch may arrive as 2, 3.
    const player = await linkKarabastUser("skipped@example.com", "kb-skipped");
    const specs: [number, number, Outcome][] = [[1, 1, "W"], [2, 2, "W"], [3, 2, "L"], [4, 3, "L"]];
    for (const [n, seq, outcome] of specs) {
      const g = han(n, `2026-03-01T1${n}:00:00Z`, "v", seq, outcome, 0);
      await send({ ...payload(g, { id: "kb-skipped", accessToken: player.accessToken }), gameId: `skipped-${n}` });
    }
    const body = (await get("matches", player.cookie)) as { items: { matchId: string; score: string; result: string }[] };
    expect(body).toMatchObject({ matches: 2, wins: 1, losses: 1, draws: 0, winRate: 0.5 });
    expect(body.items.map((m) => [m.matchId, m.score, m.result])).toEqual([["v:skipped-3", "0–2", "loss"], ["v:skipped-1", "2–0", "win"]]);
  });

  it("a deck that is not a Swubase deck (id null) is listed by its name", async () => {
    // The deployed client sends deck id null for a linked player's deck from elsewhere; the ingest
    // stores null. Stored here directly, so the statistics are checked whatever the ingest accepts.
    const pastedGame = (n: number, deck: Spec["deck"], outcome: Outcome): Spec => ({
      ...han(n, `2026-02-0${n}T10:00:00Z`, `p${n}`, 1, outcome, 0),
      deck: { ...deck, deckSource: "other" },
    });
    const player = { id: "kb-pasted", accessToken: pasted.accessToken };
    await send({ ...payload(pastedGame(1, { id: "pasted-1", name: "Pasted list" }, "D2"), player), gameId: "pasted-1" });
    await send({ ...payload(pastedGame(2, { id: "pasted-2", name: "Pasted list" }, "W"), player), gameId: "pasted-2" });
    await send({ ...payload(pastedGame(3, { id: "pasted-3" }, "L"), player), gameId: "pasted-3" }); // no name: absent from the JSON
    await suite.tdb.database.db.execute(sql`update game_seat set deck_id = null where deck_id like 'pasted-%'`);
    expect(await get("decks", pasted.cookie)).toEqual({
      items: [
        { deck: { id: null, name: "Pasted list", source: "other" }, leader: HAN, base: OSCILLATOR, ...tally(1, 0, 1), lastPlayedAt: "2026-02-02T10:00:00.000Z" },
        { deck: { id: null, name: null, source: "other" }, leader: HAN, base: OSCILLATOR, ...tally(0, 1, 0), lastPlayedAt: "2026-02-03T10:00:00.000Z" },
      ],
    });
  });
});
