import { describe, expect, it } from "vitest";
import { buildMatrix, rowKey } from "./matrix.js";
import type { MatchupRow } from "./stats.js";

const HAN = { id: "9226435975", name: "Han Solo" };
const QUI = { id: "2580909557", name: "Quigon Jinn" };
const WEDGE = { id: "0011262813", name: "Wedge Antilles" };
const MAUL = { id: "0024560758", name: "Darth Maul" };
const cell = (myLeader: typeof HAN, opponentLeader: typeof HAN, games: number, extra: Partial<MatchupRow> = {}): MatchupRow => ({
  myLeader, opponentLeader, games, wins: games, losses: 0, draws: 0, winRate: 1, winRateInterval: null, ...extra,
});

describe("buildMatrix", () => {
  it("makes rows and columns from the cells, ordered by their games, and finds each cell", () => {
    const cells = [cell(HAN, WEDGE, 4), cell(QUI, MAUL, 3), cell(HAN, MAUL, 2), cell(QUI, WEDGE, 1)];
    const m = buildMatrix(cells, (c) => c.opponentLeader, "leader");
    // Han 6 games, Qui-Gon 4; Maul 5, Wedge 5 (a tie keeps the first seen first).
    expect(m.rows.map((r) => [r.key, r.games])).toEqual([[HAN.id, 6], [QUI.id, 4]]);
    expect(m.columns.map((c) => [c.card.name, c.games])).toEqual([["Wedge Antilles", 5], ["Darth Maul", 5]]);
    expect(m.cell(QUI.id, WEDGE.id)?.games).toBe(1);
    expect(m.cell(HAN.id, "nobody")).toBeUndefined();
    expect(m.rows[0]!.head).toEqual({ myLeader: HAN });
  });

  it("by deck: rows by deck id and name, so decks without an id stay apart", () => {
    const a = { id: null, name: "Pasted A", source: null };
    const b = { id: null, name: "Pasted B", source: null };
    const m = buildMatrix([cell(HAN, WEDGE, 2, { myDeck: a }), cell(HAN, WEDGE, 1, { myDeck: b }), cell(HAN, MAUL, 1, { myDeck: a })], (c) => c.opponentLeader, "deck");
    expect(m.rows.map((r) => [r.head.myDeck?.name, r.games])).toEqual([["Pasted A", 3], ["Pasted B", 1]]);
    expect(m.cell(rowKey({ myLeader: HAN, myDeck: b }, "deck"), WEDGE.id)?.games).toBe(1);
    expect(m.cell(rowKey({ myLeader: HAN, myDeck: b }, "deck"), MAUL.id)).toBeUndefined();
  });

  it("is empty without cells", () => {
    const m = buildMatrix([], (c: MatchupRow) => c.opponentLeader, "leader");
    expect([m.rows, m.columns]).toEqual([[], []]);
  });
});
