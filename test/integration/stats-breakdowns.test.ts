/**
 * The matchup matrix (GET /api/stats/matchups: × opponent leader and × opponent base, by leader or
 * deck, minGames) and the card metrics (GET /api/stats/cards: in deck, drawn, not drawn, IWD,
 * played, resourced) over a small hand-computed data set ingested through the real endpoint.
 * "Me" plays nine games (game 4 a draw: both players reported as winners):
 *
 *  #  my leader  deck  opponent  result  my cards (drawn d, played p, resourced r; — listed with zeros; absent: not in the deck)
 *  1  L1         D1    O1 OB1    win     C1 d2 p1   C2 d1 r1   C3 —          (+ my leader L1 activated, my base B1: never counted)
 *  2  L1         D1    O1 OB1    loss    C1 —       C2 d1 p1   C3 d1 r1
 *  3  L1         D1    O1 OB2    win     C1 d1 r1   C2 —       C3 d1 p1
 *  4  L1         D3    O1 OB2    draw    C1 d1 p1              C3 d1
 *  5  L1         D3    O2 OB1    win     C1 —                  C3 d2 p1 r1
 *  6  L2         D2    O1 OB1    loss               C2 d1 p1              (+ my leader L2 activated)
 *  7  L2         D2    O2 OB2    loss               C2 p1 (played, never drawn: not "drawn")
 *  8  L2         D2    O2 OB2    win                C2 d1 r1
 *  9  L1         D1    O2 OB2    loss    (no card metrics at all)
 *
 * The opponent's seat always lists C1 drawn and played 5 times: it must never count for me.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStats } from "../support/rate-intervals.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { linkNewUser, postJson, registerPartner } from "../support/link-helpers.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

const L1 = { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" };
const L2 = { id: "2580909557", name: "Quigon Jinn", subtitle: "Student of the Living Force" };
const O1 = { id: "0011262813", name: "Wedge Antilles", subtitle: "Leader of Red Squadron" };
const O2 = { id: "0024560758", name: "Darth Maul", subtitle: "Sith Revealed" };
const B1 = { id: "4301437393", name: "Thermal Oscillator" };
const B2 = { id: "0450346170", name: "Jedi Temple" };
const OB1 = { id: "0119018087", name: "Shadowed Undercity" };
const OB2 = { id: "0344986336", name: "Sundari Palace" };
const C1 = { id: "5876721507", name: "Aggressive Negotiations" };
const C2 = { id: "6234506067", name: "Cassian Andor", subtitle: "Rebellions Are Built on Hope" };
const C3 = { id: "3232845719", name: "K2so", subtitle: "Cassians Counterpart" };
const D1 = { id: "deck-1", name: "Han Aggro", source: "swuBase" };
const D2 = { id: "deck-2", name: "Qui-Gon", source: "swuBase" };
const D3 = { id: "deck-3", name: "Han Control", source: "swuBase" };

type Counts = Partial<Record<"played" | "resourced" | "activated" | "drawn" | "discarded", number>>;
type Result = "win" | "loss" | "draw";

interface Spec {
  n: number;
  leader: typeof L1;
  base: typeof B1;
  deck: typeof D1;
  opponent: [typeof O1, typeof OB1];
  result: Result;
  cards: Record<string, Counts>;
}

const GAMES: Spec[] = [
  { n: 1, leader: L1, base: B1, deck: D1, opponent: [O1, OB1], result: "win", cards: { [L1.id]: { activated: 1 }, [B1.id]: {}, [C1.id]: { drawn: 2, played: 1 }, [C2.id]: { drawn: 1, resourced: 1 }, [C3.id]: {} } },
  { n: 2, leader: L1, base: B1, deck: D1, opponent: [O1, OB1], result: "loss", cards: { [C1.id]: {}, [C2.id]: { drawn: 1, played: 1 }, [C3.id]: { drawn: 1, resourced: 1 } } },
  { n: 3, leader: L1, base: B1, deck: D1, opponent: [O1, OB2], result: "win", cards: { [C1.id]: { drawn: 1, resourced: 1 }, [C2.id]: {}, [C3.id]: { drawn: 1, played: 1 } } },
  { n: 4, leader: L1, base: B1, deck: D3, opponent: [O1, OB2], result: "draw", cards: { [C1.id]: { drawn: 1, played: 1 }, [C3.id]: { drawn: 1 } } },
  { n: 5, leader: L1, base: B1, deck: D3, opponent: [O2, OB1], result: "win", cards: { [C1.id]: {}, [C3.id]: { drawn: 2, played: 1, resourced: 1 } } },
  { n: 6, leader: L2, base: B2, deck: D2, opponent: [O1, OB1], result: "loss", cards: { [L2.id]: { activated: 2 }, [C2.id]: { drawn: 1, played: 1 } } },
  { n: 7, leader: L2, base: B2, deck: D2, opponent: [O2, OB2], result: "loss", cards: { [C2.id]: { played: 1 } } },
  { n: 8, leader: L2, base: B2, deck: D2, opponent: [O2, OB2], result: "win", cards: { [C2.id]: { drawn: 1, resourced: 1 } } },
  { n: 9, leader: L1, base: B1, deck: D1, opponent: [O2, OB2], result: "loss", cards: {} },
];

const full = (cards: Record<string, Counts>) =>
  Object.fromEntries(Object.entries(cards).map(([id, c]) => [id, { played: 0, resourced: 0, activated: 0, drawn: 0, discarded: 0, ...c }]));

/** A tally as the API answers it (intervals checked and stripped by checkAndStripIntervals). */
const r = (wins: number, losses: number, draws: number) => {
  const games = wins + losses + draws;
  return { games, wins, losses, draws, winRate: games > 0 ? wins / games : null };
};

describe.each(databaseKinds)("matchup matrix and card metrics (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let me: { cookie: string };

  const request = (path: string) => t.app.request(`/api/stats/${path}`, { headers: { cookie: me.cookie } });
  const get = (path: string) => getStats(t, path, me.cookie);

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    const partner = await registerPartner(t);
    const linked = await linkNewUser(t, partner, { email: "me@example.com", externalUserId: "kb-me" });
    const accessToken = linked.tokens.access_token;
    me = linked;
    for (const g of GAMES) {
      const finishedAt = new Date(Date.UTC(2026, 0, 5, 10 + g.n)).toISOString();
      const data = {
        gameId: `bd-${g.n}`,
        lobbyId: `lobby-${g.n}`,
        startedAt: new Date(Date.parse(finishedAt) - 20 * 60_000).toISOString(),
        finishedAt,
        roundNumber: 5,
        sequenceNumber: 1,
        format: "premier",
        players: [
          {
            data: { id: "kb-me", accessToken, leader: g.leader.id, base: g.base.id, deck: { id: g.deck.id, name: g.deck.name, deckSource: "swuBase" }, isWinner: g.result !== "loss" },
            cardMetrics: full(g.cards),
          },
          {
            data: { id: "kb-stranger", accessToken: null, leader: g.opponent[0].id, base: g.opponent[1].id, deck: { id: "unknown", name: "Theirs" }, isWinner: g.result !== "win" },
            cardMetrics: full({ [C1.id]: { drawn: 5, played: 5 } }),
          },
        ],
      };
      const res = await postJson(t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  describe("GET /api/stats/matchups", () => {
    it("by leader: × opponent leader (items, as before) and × opponent base, most games first", async () => {
      expect(await get("matchups")).toEqual({
        by: "leader",
        minGames: 0,
        items: [
          { myLeader: L1, opponentLeader: O1, ...r(2, 1, 1) }, // games 1, 2, 3, 4
          { myLeader: L2, opponentLeader: O2, ...r(1, 1, 0) }, // 7, 8 (ties: leader id, then opponent id)
          { myLeader: L1, opponentLeader: O2, ...r(1, 1, 0) }, // 5, 9
          { myLeader: L2, opponentLeader: O1, ...r(0, 1, 0) }, // 6
        ],
        byOpponentBase: [
          { myLeader: L1, opponentBase: OB1, ...r(2, 1, 0) }, // 1, 2, 5
          { myLeader: L1, opponentBase: OB2, ...r(1, 1, 1) }, // 3, 4, 9
          { myLeader: L2, opponentBase: OB2, ...r(1, 1, 0) }, // 7, 8
          { myLeader: L2, opponentBase: OB1, ...r(0, 1, 0) }, // 6
        ],
      });
    });

    it("by deck: each deck with its leader", async () => {
      const d = (deck: typeof D1, leader: typeof L1) => ({ myLeader: leader, myDeck: deck });
      expect(await get("matchups?by=deck")).toEqual({
        by: "deck",
        minGames: 0,
        items: [
          { ...d(D1, L1), opponentLeader: O1, ...r(2, 1, 0) }, // 1, 2, 3
          { ...d(D2, L2), opponentLeader: O2, ...r(1, 1, 0) }, // 7, 8
          { ...d(D3, L1), opponentLeader: O2, ...r(1, 0, 0) }, // 5
          { ...d(D1, L1), opponentLeader: O2, ...r(0, 1, 0) }, // 9
          { ...d(D2, L2), opponentLeader: O1, ...r(0, 1, 0) }, // 6
          { ...d(D3, L1), opponentLeader: O1, ...r(0, 0, 1) }, // 4
        ],
        byOpponentBase: [
          { ...d(D1, L1), opponentBase: OB1, ...r(1, 1, 0) }, // 1, 2
          { ...d(D1, L1), opponentBase: OB2, ...r(1, 1, 0) }, // 3, 9
          { ...d(D2, L2), opponentBase: OB2, ...r(1, 1, 0) }, // 7, 8
          { ...d(D3, L1), opponentBase: OB1, ...r(1, 0, 0) }, // 5
          { ...d(D2, L2), opponentBase: OB1, ...r(0, 1, 0) }, // 6
          { ...d(D3, L1), opponentBase: OB2, ...r(0, 0, 1) }, // 4
        ],
      });
    });

    it("minGames leaves out the cells with fewer games, with the other filters", async () => {
      const cells = async (query: string) => {
        const body = (await get(`matchups?${query}`)) as { items: { games: number; opponentLeader: { id: string } }[]; byOpponentBase: { games: number; opponentBase: { id: string } }[] };
        return [body.items.map((c) => [c.opponentLeader.id, c.games]), body.byOpponentBase.map((c) => [c.opponentBase.id, c.games])];
      };
      expect(await cells("minGames=2")).toEqual([
        [[O1.id, 4], [O2.id, 2], [O2.id, 2]],
        [[OB1.id, 3], [OB2.id, 3], [OB2.id, 2]],
      ]);
      expect(await cells("minGames=3")).toEqual([[[O1.id, 4]], [[OB1.id, 3], [OB2.id, 3]]]);
      expect(await cells("minGames=5")).toEqual([[], []]);
      expect(await cells("minGames=1")).toEqual(await cells("minGames=0"));
      expect(await cells("minGames=")).toEqual(await cells(""));
      expect(await cells(`by=deck&leader=${L1.id}&minGames=2`)).toEqual([[[O1.id, 3]], [[OB1.id, 2], [OB2.id, 2]]]);
      expect(((await get("matchups?minGames=4")) as { minGames: number }).minGames).toBe(4);
    });

    it("refuses a bad minGames or by with a 400 naming it", async () => {
      const cases: [string, string][] = [
        ["minGames=-1", "minGames must be an integer from 0 to 100000"],
        ["minGames=abc", "minGames must be an integer from 0 to 100000"],
        ["minGames=1.5", "minGames must be an integer from 0 to 100000"],
        ["minGames=100001", "minGames must be an integer from 0 to 100000"],
        ["by=base", "by must be leader or deck"],
        ["by=DECK", "by must be leader or deck"],
      ];
      for (const [query, message] of cases) {
        const res = await request(`matchups?${query}`);
        expect(res.status, query).toBe(400);
        expect(await res.json(), query).toEqual({ error: "invalid_request", error_description: message });
      }
    });
  });

  describe("GET /api/stats/cards", () => {
    it("per card: in deck, drawn, not drawn, IWD, played and resourced, each with its sample size; never the leader, base or opponent's cards", async () => {
      const body = (await get("cards")) as { items: { improvementWhenDrawn: number | null }[] };
      const iwd = body.items.map((i) => i.improvementWhenDrawn);
      expect(iwd[0]).toBe(0); // C2: 50 % drawn, 50 % not
      expect(iwd[1]).toBeCloseTo(-50, 10); // C3: 50 % drawn (2–1–1), 100 % not (1–0–0)
      expect(iwd[2]).toBeCloseTo((2 / 3 - 1 / 2) * 100, 10); // C1: 16.7 points
      expect(body).toEqual({
        ...r(4, 4, 1),
        gamesWithCards: 8, // game 9 came without card metrics
        items: [
          {
            card: C2, // games 1, 2, 3, 6, 7, 8
            inDeck: r(3, 3, 0),
            whenDrawn: r(2, 2, 0), // 1, 2, 6, 8
            whenNotDrawn: r(1, 1, 0), // 3, 7 (7: played without being drawn)
            improvementWhenDrawn: iwd[0],
            whenPlayed: r(0, 3, 0), // 2, 6, 7
            whenResourced: r(2, 0, 0), // 1, 8
          },
          {
            card: C3, // games 1–5; more often drawn than C1, so before it
            inDeck: r(3, 1, 1),
            whenDrawn: r(2, 1, 1), // 2, 3, 4, 5
            whenNotDrawn: r(1, 0, 0), // 1
            improvementWhenDrawn: iwd[1],
            whenPlayed: r(2, 0, 0), // 3, 5
            whenResourced: r(1, 1, 0), // 2, 5
          },
          {
            card: C1, // games 1–5
            inDeck: r(3, 1, 1),
            whenDrawn: r(2, 0, 1), // 1, 3, 4
            whenNotDrawn: r(1, 1, 0), // 2, 5
            improvementWhenDrawn: iwd[2],
            whenPlayed: r(1, 0, 1), // 1, 4
            whenResourced: r(1, 0, 0), // 3
          },
        ],
      });
    });

    it("narrows by deck, leader and the other filters", async () => {
      expect(await get("cards?deck=deck-2")).toEqual({
        ...r(1, 2, 0),
        gamesWithCards: 3,
        items: [
          {
            card: C2,
            inDeck: r(1, 2, 0),
            whenDrawn: r(1, 1, 0), // 6, 8
            whenNotDrawn: r(0, 1, 0), // 7
            improvementWhenDrawn: 50,
            whenPlayed: r(0, 2, 0), // 6, 7
            whenResourced: r(1, 0, 0), // 8
          },
        ],
      });
      const l1 = (await get(`cards?leader=${L1.id}`)) as { games: number; gamesWithCards: number; items: { card: { id: string }; inDeck: { games: number }; whenDrawn: unknown; whenNotDrawn: unknown; improvementWhenDrawn: number }[] };
      expect([l1.games, l1.gamesWithCards]).toEqual([6, 5]);
      expect(l1.items.map((i) => [i.card.id, i.inDeck.games])).toEqual([[C3.id, 5], [C1.id, 5], [C2.id, 3]]);
      expect(l1.items[2]).toMatchObject({ whenDrawn: r(1, 1, 0), whenNotDrawn: r(1, 0, 0), improvementWhenDrawn: -50 }); // C2 in games 1, 2 | 3
      // Game 4, the draw, alone: a drawn game counts as a game not won.
      const draw = (await get("cards?deck=deck-3&to=2026-01-05T14:00:00Z")) as { items: { card: { id: string }; whenDrawn: unknown; improvementWhenDrawn: number | null }[] };
      expect(draw.items.map((i) => [i.card.id, i.whenDrawn, i.improvementWhenDrawn])).toEqual([
        [C3.id, r(0, 0, 1), null],
        [C1.id, r(0, 0, 1), null],
      ]);
      expect(await get("cards?format=open")).toEqual({ ...r(0, 0, 0), gamesWithCards: 0, items: [] });
    });

    it("refuses bad filters with a 400 naming the parameter", async () => {
      const res = await request("cards?bo=2");
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^bo must be 1/);
    });

    it("keeps the per-deck card endpoint as it was", async () => {
      const deck = (await get("decks/deck-2/cards")) as { games: number; items: { card: { id: string }; games: number; whenPlayed: unknown }[] };
      expect(deck.games).toBe(3);
      // The per-deck endpoint lists every card reported, the leader included.
      expect(deck.items.map((i) => [i.card.id, i.games])).toEqual([[C2.id, 3], [L2.id, 1]]);
      expect(deck.items[0]!.whenPlayed).toEqual(r(0, 2, 0));
    });
  });
});
