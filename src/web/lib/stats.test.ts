import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatDuration, formatLabel, formatPercent, formatRecord, hasFilters, pageCount, pageSearch, pickFilters, statsSearchSchema, statsUrl } from "./stats.js";

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
