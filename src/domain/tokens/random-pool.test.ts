import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secureRandomBytes } from "./random-pool.js";

describe("secureRandomBytes", () => {
  it("returns fresh buffers of the asked size, including across refills and for large sizes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }), (sizes) => {
        const outs = sizes.map((n) => secureRandomBytes(n));
        outs.forEach((b, i) => expect(b.length).toBe(sizes[i]));
        // No two callers share memory: writing one buffer changes no other.
        const before = outs.map((b) => Buffer.from(b));
        for (const b of outs) b.fill(0xaa);
        outs.forEach((b, i) => expect(b.equals(Buffer.alloc(sizes[i]!, 0xaa))).toBe(true));
        expect(before.length).toBe(outs.length);
      }),
      { numRuns: 100 },
    );
  });

  it("never hands out the same bytes twice, nor the wiped zeros", () => {
    // 20,000 × 32 bytes = 156 pool refills.
    const seen = new Set<string>();
    let zeroBytes = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = secureRandomBytes(32);
      const hex = b.toString("hex");
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      for (const byte of b) if (byte === 0) zeroBytes++;
    }
    // A CSPRNG gives 1/256 zero bytes (2,500 of 640,000); wiped bytes handed out again would be far more.
    expect(zeroBytes).toBeGreaterThan(2000);
    expect(zeroBytes).toBeLessThan(3100);
  });

  it("spreads values evenly over every byte position (no constant or stuck bytes)", () => {
    const counts = Array.from({ length: 16 }, () => new Set<number>());
    for (let i = 0; i < 2000; i++) secureRandomBytes(16).forEach((byte, pos) => counts[pos]!.add(byte));
    for (const c of counts) expect(c.size).toBeGreaterThan(240);
  });

  it("refuses a size that is not a non-negative integer", () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => secureRandomBytes(bad)).toThrow(RangeError);
    expect(secureRandomBytes(0).length).toBe(0);
  });
});
