import { describe, expect, it } from "vitest";
import { rate } from "./stats-service.js";
import { wilsonInterval } from "./wilson.js";

/**
 * Hand-computed with z = 1.96: centre = (p + z²/2n) / (1 + z²/n),
 * half width = z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
 */
function expectInterval(actual: { low: number; high: number } | null, low: number, high: number) {
  expect(actual).not.toBeNull();
  expect(actual!.low).toBeCloseTo(low, 4);
  expect(actual!.high).toBeCloseTo(high, 4);
}

describe("wilsonInterval", () => {
  it("is null without games", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("0 of 10: from exactly 0 to 27.75 %", () => {
    const i = wilsonInterval(0, 10);
    expect(i!.low).toBe(0);
    expectInterval(i, 0, 0.2775);
  });

  it("10 of 10: from 72.25 % to exactly 100 %", () => {
    const i = wilsonInterval(10, 10);
    expect(i!.high).toBe(1);
    expectInterval(i, 0.7225, 1);
  });

  it("5 of 10: 23.66–76.34 %, symmetric around one half", () => {
    expectInterval(wilsonInterval(5, 10), 0.2366, 0.7634);
  });

  it("60 of 100: 50.20–69.06 %, pulled towards one half", () => {
    expectInterval(wilsonInterval(60, 100), 0.502, 0.6906);
  });

  it("1 of 1: 20.65–100 %, a single game says little", () => {
    expectInterval(wilsonInterval(1, 1), 0.2065, 1);
  });

  it("takes another z (z = 1: about 68 %)", () => {
    // p = 0.5, n = 10, z = 1: centre 0.5, half = 1/1.1 · √(0.025 + 0.0025) = 0.15076
    expectInterval(wilsonInterval(5, 10, 1), 0.3492, 0.6508);
  });

  it("refuses more wins than games", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe("rate", () => {
  it("counts draws as games not won: 3 wins, 1 loss, 1 draw is 3 of 5", () => {
    const r = rate({ games: 5, wins: 3, losses: 1, draws: 1 });
    expect(r.winRate).toBe(0.6);
    expect(r.winRateInterval).toEqual(wilsonInterval(3, 5));
    // p = 0.6, n = 5: 23.07–88.24 %
    expectInterval(r.winRateInterval, 0.2307, 0.8824);
  });

  it("has no interval without games", () => {
    expect(rate({ games: 0, wins: 0, losses: 0, draws: 0 })).toEqual({ games: 0, wins: 0, losses: 0, draws: 0, winRate: null, winRateInterval: null });
  });
});
