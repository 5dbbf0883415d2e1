/**
 * postgres.js 3.4.9's internal Queue, as patched by patches/postgres+3.4.9.patch (see
 * patches/README.md). Unpatched, `shift()` leaves a hole per call that is dropped only when the queue
 * empties and `remove()` scans from slot 0, so under steady pipelined load (the pool's `busy` queue
 * never empties) every query paid O(queries since the pool was last idle) and the array grew without
 * bound. The files are loaded from node_modules by path: the package's `exports` hide them.
 */
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}
type QueueFactory = <T>(initial?: T[]) => Queue<T>;

const pkg = new URL("../../node_modules/postgres/", import.meta.url);
const copies = ["src/queue.js", "cjs/src/queue.js", "cf/src/queue.js"].filter((f) => existsSync(new URL(f, pkg)));

async function load(file: string): Promise<QueueFactory> {
  const url = new URL(file, pkg);
  if (file.startsWith("cjs/")) return createRequire(import.meta.url)(url.pathname) as QueueFactory;
  return ((await import(url.href)) as { default: QueueFactory }).default;
}

const Queue = await load("src/queue.js");

describe("postgres.js Queue patch (patches/postgres+3.4.9.patch)", () => {
  it("is applied to every installed copy of queue.js", () => {
    expect(copies).toContain("src/queue.js");
    expect(copies).toContain("cjs/src/queue.js");
    const esm = readFileSync(new URL("src/queue.js", pkg), "utf8");
    for (const file of copies) {
      const source = readFileSync(new URL(file, pkg), "utf8");
      expect(source, file).toContain("xs.indexOf(x, index)");
      expect(source, file).toContain("xs = xs.slice(index)");
      // The copies differ only in how they export.
      expect(source.replace("module.exports = Queue", "export default Queue"), file).toBe(esm);
    }
  });

  type Op =
    | { kind: "push"; value: number | undefined }
    | { kind: "shift" }
    | { kind: "remove"; value: number | undefined };
  const value = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: fc.constant(undefined) });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: value.map((v) => ({ kind: "push" as const, value: v })) },
    { weight: 4, arbitrary: fc.constant({ kind: "shift" as const }) },
    { weight: 2, arbitrary: value.map((v) => ({ kind: "remove" as const, value: v })) },
  );

  function same(actual: unknown, expected: unknown, what: string): void {
    if (!Object.is(actual, expected)) throw new Error(`${what}: got ${String(actual)}, the array model gives ${String(expected)}`);
  }

  /** Runs `ops` on the queue and on an array, comparing every result, the length after every step, and the final contents. */
  function sameAsArrayModel(factory: QueueFactory, initial: (number | undefined)[], ops: Op[]): void {
    const given = initial.slice();
    const q = factory(given);
    const model = initial.slice();
    given.push(-1); // the queue copies its initial array
    ops.forEach((o, step) => {
      if (o.kind === "push") {
        same(q.push(o.value), o.value, `step ${step}: push(${o.value})`);
        model.push(o.value);
      } else if (o.kind === "shift") {
        same(q.shift(), model.shift(), `step ${step}: shift()`);
      } else {
        const at = model.indexOf(o.value);
        if (at !== -1) model.splice(at, 1);
        same(q.remove(o.value), at === -1 ? null : o.value, `step ${step}: remove(${o.value})`);
      }
      same(q.length, model.length, `step ${step}: length`);
    });
    const drained: (number | undefined)[] = [];
    while (q.length > 0) drained.push(q.shift());
    expect(drained).toEqual(model);
    same(q.shift(), undefined, "shift() when empty");
    same(q.length, 0, "length when empty");
  }

  // size "max": fast-check's default size keeps arrays to a few dozen items, too short to reach the
  // compaction in shift() (64 consumed slots); with it most runs compact at least once.
  it.each(copies)("%s behaves like an array on random push/shift/remove sequences", async (file) => {
    const factory = await load(file);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 100 }), fc.array(op, { maxLength: 3000, size: "max" }), (initial, ops) =>
        sameAsArrayModel(factory, initial, ops),
      ),
      { numRuns: 150 },
    );
  });

  it("behaves like an array in a queue that never empties (pipelining: shift, push, remove, push)", () => {
    // Long runs that keep a few live entries: shift passes the compaction point many times.
    const cycle: fc.Arbitrary<Op[]> = fc
      .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.boolean())
      .map(([a, b, extra]) => [
        { kind: "shift" },
        { kind: "push", value: a },
        { kind: "remove", value: b },
        ...(extra ? [{ kind: "push" as const, value: b }] : []),
      ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 40 }), fc.array(cycle, { maxLength: 1500, size: "max" }), (initial, cycles) =>
        sameAsArrayModel(Queue, initial, cycles.flat()),
      ),
      { numRuns: 100 },
    );
  });

  describe("cost stays flat under load that never empties the queue", () => {
    const LIVE = 20;
    /** A queue of 20 live entries behind `consumed` slots that shift() has already taken. */
    function setup(consumed = 0): { q: Queue<object>; items: object[]; cycle: (k: number) => void } {
      const q = Queue<object>();
      const items = Array.from({ length: LIVE }, (_, i) => ({ i }));
      for (let k = 0; k < consumed; k++) q.push({ k });
      for (const x of items) q.push(x);
      for (let k = 0; k < consumed; k++) q.shift();
      // What the pool does per query: take a connection, put it back, and move another one.
      const cycle = (k: number): void => {
        const c = q.shift()!;
        q.push(c);
        const other = items[(k * 7) % LIVE]!;
        if (q.remove(other) === null) throw new Error("a live entry was not found");
        q.push(other);
      };
      return { q, items, cycle };
    }
    /** Best of 5 runs of `n` cycles, in ns per cycle. */
    function nsPerCycle(cycle: (k: number) => void, n: number): number {
      let best = Infinity;
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        for (let k = 0; k < n; k++) cycle(k);
        best = Math.min(best, performance.now() - t);
      }
      return (best * 1e6) / n;
    }

    it("1,000,000 shift/push/remove/push cycles with 20 live entries run in linear time", () => {
      nsPerCycle(setup().cycle, 20_000); // JIT warm-up
      const fresh = setup();
      const early = nsPerCycle(fresh.cycle, 20_000);

      // Patched this takes ~0.1–0.5 s here; unpatched, 100k cycles take ~3 s and 200k ~12 s (quadratic).
      // The budget is checked as it goes so that an unpatched queue fails here rather than by timeout.
      const { q, cycle } = setup();
      const budgetMs = 10_000;
      const start = performance.now();
      let done = 0;
      while (done < 1_000_000 && performance.now() - start < budgetMs) {
        for (let k = 0; k < 10_000; k++) cycle(done + k);
        done += 10_000;
      }
      expect(done, `cycles completed in ${budgetMs} ms`).toBe(1_000_000);
      expect(q.length).toBe(LIVE);

      // A cycle after a million costs what one on a fresh queue does (unpatched: hundreds of times more).
      const late = nsPerCycle(cycle, 20_000);
      expect(late, `ns per cycle after 1M cycles (fresh queue: ${early.toFixed(0)} ns)`).toBeLessThan(Math.max(10 * early, 2_000));
    });

    it("remove() does not scan the slots shift() consumed", () => {
      const removeAndPush = ({ q, items }: ReturnType<typeof setup>) => (k: number): void => {
        const x = items[k % LIVE]!;
        if (q.remove(x) === null) throw new Error("a live entry was not found");
        q.push(x);
      };
      nsPerCycle(removeAndPush(setup()), 20_000); // JIT warm-up
      const before = nsPerCycle(removeAndPush(setup()), 2_000);
      // 1,000,000 consumed slots in front of the 20 live entries (unpatched they stay as holes).
      const deep = setup(1_000_000);
      expect(deep.q.length).toBe(LIVE);
      const after = nsPerCycle(removeAndPush(deep), 2_000);
      // Patched: the same ~100 ns. Unpatched: a 1M-slot scan per remove, ~0.5 ms.
      expect(after, `ns per remove+push after 1M shifts (fresh queue: ${before.toFixed(0)} ns)`).toBeLessThan(Math.max(10 * before, 5_000));
    });
  });
});
