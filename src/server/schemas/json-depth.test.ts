import { describe, expect, it } from "vitest";
import { assertJsonDepth, MAX_JSON_DEPTH } from "./json-depth.js";

/** `{"metadata":{"a":{"a":…}}}` with `levels` levels in all (the body is level 1). */
function nested(levels: number): unknown {
  let value: unknown = {};
  for (let i = 2; i < levels; i++) value = { a: value };
  return { metadata: value };
}

describe("assertJsonDepth", () => {
  it("accepts 32 levels and refuses 33, naming the path where it goes too deep", () => {
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => assertJsonDepth(nested(MAX_JSON_DEPTH + 1))).toThrow(/^invalid_request: metadata(\.a)+ is nested too deeply \(at most 32 levels\)$/);
  });

  it("counts arrays as levels and names indexes and odd keys", () => {
    expect(() => assertJsonDepth({ x: [[{ "odd key": [1] }]] }, 4)).toThrow('x[0][0]["odd key"] is nested too deeply (at most 4 levels)');
    expect(() => assertJsonDepth([[[]]], 2)).toThrow("[0][0] is nested too deeply");
    expect(() => assertJsonDepth({ x: [[{ "odd key": [1] }]] }, 5)).not.toThrow();
  });

  it("walks 100,000 levels (more than a 64 kB body can hold) without overflowing the stack", () => {
    const deep = JSON.parse(`{"data":${'{"k":'.repeat(100_000)}1${"}".repeat(100_000)}}`) as unknown;
    expect(() => assertJsonDepth(deep)).toThrow(/^invalid_request: data(\.k){31} is nested too deeply \(at most 32 levels\)$/);
  });

  it("cuts a long path after 120 characters", () => {
    const key = "k".repeat(40);
    const deep = JSON.parse(`${`{"${key}":`.repeat(40)}1${"}".repeat(40)}`) as unknown;
    expect(() => assertJsonDepth(deep)).toThrow(new RegExp(`^invalid_request: ${key}\\.${key}\\.k{38}… is nested too deeply`));
  });

  it("ignores scalars and wide but shallow bodies", () => {
    expect(() => assertJsonDepth("text")).not.toThrow();
    expect(() => assertJsonDepth(null)).not.toThrow();
    expect(() => assertJsonDepth({ cards: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, { played: 1 }])) })).not.toThrow();
  });
});
