import { describe, expect, it } from "vitest";
import { cardMetrics, percentagePoints, vsBase, vsLeader } from "./breakdowns.js";
import { wilsonInterval } from "./wilson.js";

const tally = (wins: number, losses: number, draws: number) => ({ games: wins + losses + draws, wins, losses, draws });
const prefixed = (prefix: string, t: ReturnType<typeof tally>) => ({
  [`${prefix}Games`]: t.games,
  [`${prefix}Wins`]: t.wins,
  [`${prefix}Losses`]: t.losses,
  [`${prefix}Draws`]: t.draws,
});

describe("cardMetrics", () => {
  it("names the card and turns each tally into a rate with its interval; IWD in percentage points", () => {
    const row = {
      cardId: "5876721507",
      ...tally(3, 1, 1),
      ...prefixed("drawn", tally(2, 0, 1)),
      ...prefixed("notDrawn", tally(1, 1, 0)),
      ...prefixed("played", tally(1, 0, 1)),
      ...prefixed("resourced", tally(1, 0, 0)),
    } as Parameters<typeof cardMetrics>[0];
    const m = cardMetrics(row);
    expect(m.card).toEqual({ id: "5876721507", name: "Aggressive Negotiations" });
    expect(m.inDeck).toEqual({ ...tally(3, 1, 1), winRate: 0.6, winRateInterval: wilsonInterval(3, 5) });
    expect(m.whenDrawn).toMatchObject({ games: 3, wins: 2, draws: 1, winRate: 2 / 3 });
    expect(m.whenNotDrawn).toMatchObject({ games: 2, winRate: 0.5 });
    expect(m.improvementWhenDrawn).toBeCloseTo(16.6667, 4);
    expect(m.whenPlayed).toMatchObject({ games: 2, wins: 1, draws: 1, winRate: 0.5 });
    expect(m.whenResourced).toMatchObject({ games: 1, winRate: 1, winRateInterval: wilsonInterval(1, 1) });
  });

  it("has no IWD when the card was always, or never, drawn", () => {
    const row = { cardId: "x", ...tally(1, 0, 0), ...prefixed("drawn", tally(1, 0, 0)), ...prefixed("notDrawn", tally(0, 0, 0)), ...prefixed("played", tally(0, 0, 0)), ...prefixed("resourced", tally(0, 0, 0)) };
    const m = cardMetrics(row as Parameters<typeof cardMetrics>[0]);
    expect(m.improvementWhenDrawn).toBeNull();
    expect(m.whenNotDrawn).toEqual({ games: 0, wins: 0, losses: 0, draws: 0, winRate: null, winRateInterval: null });
  });
});

describe("percentagePoints", () => {
  it("is the difference times 100, or null", () => {
    expect(percentagePoints(1, 0.5)).toBe(50);
    expect(percentagePoints(0, 1)).toBe(-100);
    expect(percentagePoints(null, 0.5)).toBeNull();
    expect(percentagePoints(0.5, null)).toBeNull();
  });
});

describe("matchup cells", () => {
  const row = { leader: "9226435975", deckId: "deck-1", deckName: "Han Aggro", deckSource: "swuBase", opponent: "0450346170", ...tally(2, 1, 1) };
  it("by leader: no deck; the opponent named as a leader or a base", () => {
    expect(vsLeader(row, "leader")).toEqual({
      myLeader: { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" },
      opponentLeader: { id: "0450346170", name: "Jedi Temple" },
      ...tally(2, 1, 1),
      winRate: 0.5,
      winRateInterval: wilsonInterval(2, 4),
    });
    expect(vsBase({ ...row, opponent: "unknown" }, "leader").opponentBase).toEqual({ id: "unknown", name: "Unknown base" });
  });
  it("by deck: the deck with its leader", () => {
    expect(vsBase(row, "deck")).toMatchObject({ myDeck: { id: "deck-1", name: "Han Aggro", source: "swuBase" }, opponentBase: { id: "0450346170", name: "Jedi Temple" } });
  });
});
