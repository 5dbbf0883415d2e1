import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  formatDuration,
  formatInterval,
  formatLabel,
  formatPercent,
  formatPoints,
  formatRecord,
  hasFilters,
  isSmallSample,
  matchupSearchSchema,
  pageCount,
  pageSearch,
  pickFilters,
  searchParams,
  statsSearchSchema,
  statsUrl,
} from "./stats.js";

describe("statsSearchSchema", () => {
  it("keeps valid filters", () => {
    expect(statsSearchSchema.parse({ format: "premier", from: "2026-01-05", to: "2026-01-31" })).toEqual({
      format: "premier",
      from: "2026-01-05",
      to: "2026-01-31",
    });
  });

  it("drops unknown formats and malformed or impossible dates instead of failing", () => {
    expect(statsSearchSchema.parse({ format: "sealed", from: "05/01/2026", to: "2026-02-30" })).toEqual({});
    expect(statsSearchSchema.parse({ from: 20260105, to: ["2026-01-05"] })).toEqual({});
  });

  it("reads a page number the router parsed as a number or a string", () => {
    const schema = z.object({ page: pageSearch });
    expect(schema.parse({ page: 3 })).toEqual({ page: 3 });
    expect(schema.parse({ page: "2" })).toEqual({ page: 2 });
    expect(schema.parse({ page: 0 })).toEqual({});
    expect(schema.parse({ page: "x" })).toEqual({});
  });
});

describe("leader, deck and best-of in the URL", () => {
  it("reads ids the router parsed as numbers or text, keeping plain integers as numbers for a clean URL", () => {
    expect(statsSearchSchema.parse({ leader: 9226435975, deck: "deck-han", bo: 3 })).toEqual({ leader: 9226435975, deck: "deck-han", bo: 3 });
    expect(statsSearchSchema.parse({ leader: "9226435975", deck: "0011" })).toEqual({ leader: 9226435975, deck: "0011" });
    expect(pickFilters({ leader: 9226435975, deck: "0011", bo: 1 })).toEqual({ leader: "9226435975", deck: "0011", bo: 1 });
    expect(searchParams({ leader: "2580909557", deck: "deck-1" })).toEqual({ leader: 2580909557, deck: "deck-1" });
  });

  it("drops a bad best-of or id instead of failing", () => {
    expect(statsSearchSchema.parse({ bo: 2, leader: "", deck: "d".repeat(201) })).toEqual({});
    expect(statsSearchSchema.parse({ bo: "3" })).toEqual({});
  });

  it("counts them as filters and sends them to the API", () => {
    expect(hasFilters({ bo: 1 })).toBe(true);
    expect(hasFilters({ leader: "x" })).toBe(true);
    expect(statsUrl("leaders", pickFilters({ leader: 9226435975, bo: 3 }))).toBe("/api/stats/leaders?leader=9226435975&bo=3");
  });
});

describe("intervals", () => {
  it("shows an interval in whole percents and marks small samples", () => {
    expect(formatInterval({ low: 0.2366, high: 0.7634 })).toBe(`${formatPercent(0.24)}–${formatPercent(0.76)}`);
    expect(formatInterval(null)).toBe("—");
    expect([isSmallSample(0), isSmallSample(1), isSmallSample(9), isSmallSample(10)]).toEqual([false, true, true, false]);
  });
});

describe("filters and URLs", () => {
  it("picks only the filters from a page's search", () => {
    expect(pickFilters({ format: "open", page: 2, deckName: "x" } as never)).toEqual({ format: "open" });
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ to: "2026-01-01" })).toBe(true);
  });

  it("leaves empty values out of the query string", () => {
    expect(statsUrl("overview", { format: undefined, from: "2026-01-01", page: 2, to: "" })).toBe("/api/stats/overview?from=2026-01-01&page=2");
    expect(statsUrl("weekly", {})).toBe("/api/stats/weekly");
    expect(statsUrl("decks/a%2Fb/cards", { deckName: "Han & Chewie" })).toBe("/api/stats/decks/a%2Fb/cards?deckName=Han+%26+Chewie");
  });
});

describe("formatting", () => {
  it("shows win rates as percentages with at most one decimal", () => {
    expect(formatPercent(2 / 3)).toBe("66.7%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
  });

  it("shows a record as wins–losses–draws", () => {
    expect(formatRecord({ wins: 12, losses: 7, draws: 1 })).toBe("12–7–1");
    expect(formatRecord({ wins: 0, losses: 0, draws: 0 })).toBe("0–0–0");
  });

  it("shows durations in minutes and seconds, or hours and minutes", () => {
    expect(formatDuration(1385)).toBe("23m 05s");
    expect(formatDuration(45)).toBe("0m 45s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(-1)).toBe("—");
  });

  it("capitalises formats and counts pages", () => {
    expect(formatLabel("premier")).toBe("Premier");
    expect(pageCount(0, 10)).toBe(1);
    expect(pageCount(21, 10)).toBe(3);
  });
});

describe("matchupSearchSchema", () => {
  it("keeps the rows switch and a whole minGames, read as the router parsed them", () => {
    expect(matchupSearchSchema.parse({ by: "deck", minGames: 5 })).toEqual({ by: "deck", minGames: 5 });
    expect(matchupSearchSchema.parse({ by: "leader", minGames: "10" })).toEqual({ by: "leader", minGames: 10 });
    expect(matchupSearchSchema.parse({ minGames: 0 })).toEqual({ minGames: 0 });
  });

  it("drops bad values instead of failing the page", () => {
    expect(matchupSearchSchema.parse({ by: "base", minGames: -1 })).toEqual({});
    expect(matchupSearchSchema.parse({ minGames: "abc" })).toEqual({});
    expect(matchupSearchSchema.parse({ minGames: 2.5 })).toEqual({});
    expect(matchupSearchSchema.parse({ minGames: 100_001 })).toEqual({});
  });
});

describe("formatPoints", () => {
  it("signs a difference of win rates in percentage points", () => {
    expect(formatPoints((2 / 3 - 1 / 2) * 100)).toMatch(/^\+16[.,]7 pp$/);
    expect(formatPoints(-50)).toMatch(/^-50[.,]0 pp$/);
    expect(formatPoints(0)).toMatch(/^0[.,]0 pp$/);
    expect(formatPoints(null)).toBe("—");
  });
});
