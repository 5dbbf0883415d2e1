/**
 * The export reads its times as seconds since 1970 (PostgreSQL's date_part('epoch'), a float8
 * exact to the microsecond) and writes them as PostgreSQL's to_char and round(numeric) did before:
 * the time to the millisecond with the rest cut off, the duration rounded half away from zero.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoMillisWriter, wholeSecondsBetween } from "./stats-export.js";

/** A whole number of microseconds since 1970 (years 1970 to 2242: float8 steps stay under 1 µs). */
const micros = fc.tuple(fc.integer({ min: 0, max: 8_589_934 }), fc.integer({ min: 0, max: 999_999_999 })).map(([high, low]) => high * 1e9 + low);
/** What PostgreSQL sends for it: the float8 nearest to micros / 10^6 (one correctly rounded division, as here). */
const asSeconds = (m: number) => m / 1e6;

describe("isoMillisWriter", () => {
  it("cuts the microseconds off, as to_char's MS does", () => {
    const isoMillis = isoMillisWriter();
    expect(isoMillis(asSeconds(1_767_608_400_123_456))).toBe("2026-01-05T10:20:00.123Z");
    expect(isoMillis(asSeconds(1_767_608_400_999_999))).toBe("2026-01-05T10:20:00.999Z");
    expect(isoMillis(asSeconds(1_767_608_400_000_000))).toBe("2026-01-05T10:20:00.000Z");
    expect(isoMillis(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(isoMillis(asSeconds(1_767_657_599_999_999))).toBe("2026-01-05T23:59:59.999Z");
    expect(isoMillis(asSeconds(1_767_657_600_000_000))).toBe("2026-01-06T00:00:00.000Z");
  });

  it("gives the millisecond of every microsecond, never one off from the float", () => {
    const isoMillis = isoMillisWriter();
    fc.assert(
      fc.property(micros, (m) => {
        expect(isoMillis(asSeconds(m))).toBe(new Date(Math.floor(m / 1000)).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a run of instants as one writer meets them in an export: many on a day, days apart, back and forth", () => {
    const nearby = micros.chain((start) => fc.array(fc.integer({ min: -200_000, max: 200_000 }).map((s) => start + s * 1_000_003), { minLength: 1, maxLength: 40 }));
    fc.assert(
      fc.property(nearby, (run) => {
        const isoMillis = isoMillisWriter();
        for (const m of run) if (m >= 0) expect(isoMillis(asSeconds(m))).toBe(new Date(Math.floor(m / 1000)).toISOString());
      }),
      { numRuns: 300 },
    );
  });
});

describe("wholeSecondsBetween", () => {
  it("rounds half away from zero, as round(numeric)", () => {
    const start = asSeconds(1_767_607_500_000_000);
    expect(wholeSecondsBetween(start, asSeconds(1_767_607_500_000_000 + 1_200_600_000))).toBe(1201);
    expect(wholeSecondsBetween(start, asSeconds(1_767_607_500_000_000 + 1_200_500_000))).toBe(1201);
    expect(wholeSecondsBetween(start, asSeconds(1_767_607_500_000_000 + 1_200_499_999))).toBe(1200);
    expect(wholeSecondsBetween(start, asSeconds(1_767_607_500_000_000 - 500_000))).toBe(-1);
    expect(wholeSecondsBetween(start, asSeconds(1_767_607_500_000_000 - 499_999))).toBe(0);
    expect(wholeSecondsBetween(start, start)).toBe(0);
  });

  it("equals the rounded exact difference for any two instants", () => {
    fc.assert(
      fc.property(micros, micros, (a, b) => {
        const d = b - a; // exact: both below 2^53
        const expected = Math.sign(d) * Math.floor((Math.abs(d) + 500_000) / 1e6);
        expect(wholeSecondsBetween(asSeconds(a), asSeconds(b))).toBe(expected === 0 ? 0 : expected);
      }),
      { numRuns: 2000 },
    );
  });
});
