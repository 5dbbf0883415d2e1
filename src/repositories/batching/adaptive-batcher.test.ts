import { describe, expect, it } from "vitest";
import { QueryScopeClosedError, runInQueryScope, type QueryScope } from "../../db/database.js";
import { createBatcher, DEFER, isRefusedByDatabase, type BatcherOptions } from "./adaptive-batcher.js";

/** A statement the test answers by hand: each call waits until `release`. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A database error answer, as postgres.js raises it (wrapped by drizzle in `cause`). */
const refused = (code: string) => Object.assign(new Error("wrapped"), { cause: Object.assign(new Error(`refused ${code}`), { severity: "ERROR", code }) });

function recorder(overrides: Partial<BatcherOptions<string, string>> = {}) {
  const calls: string[][] = [];
  const gates: ReturnType<typeof gate>[] = [];
  const wait = async () => {
    const g = gate();
    gates.push(g);
    await g.opened;
  };
  const batcher = createBatcher<string, string>({
    maxBatchSize: 3,
    maxInFlight: 1,
    key: (input) => input.split(":")[0]!,
    async one(input) {
      calls.push([input]);
      await wait();
      return `one(${input})`;
    },
    async many(inputs) {
      calls.push(inputs);
      await wait();
      return inputs.map((i) => `many(${i})`);
    },
    ...overrides,
  });
  /** Lets the oldest waiting statement return. */
  const release = async () => {
    await flush();
    gates.shift()!.open();
    await flush();
  };
  return { batcher, calls, release };
}

describe("adaptive batcher", () => {
  it("sends an arrival at once when idle, queues while busy, and sends the queue together (up to the cap)", async () => {
    const { batcher, calls, release } = recorder();
    const answers = ["a", "b", "c", "d", "e"].map((x) => batcher.submit(x));
    await flush();
    expect(calls).toEqual([["a"]]);
    await release();
    expect(calls).toEqual([["a"], ["b", "c", "d"]]);
    await release();
    expect(calls).toEqual([["a"], ["b", "c", "d"], ["e"]]);
    await release();
    expect(await Promise.all(answers)).toEqual(["one(a)", "many(b)", "many(c)", "many(d)", "one(e)"]);
  });

  it("never puts two operations with one key in a batch, nor runs them at once", async () => {
    const { batcher, calls, release } = recorder({ maxInFlight: 2 });
    const answers = ["t:1", "t:2", "u:1", "t:3", "v:1"].map((x) => batcher.submit(x));
    await flush();
    // t:1 and u:1 go at once (two may be in flight); t:2 waits for t:1.
    expect(calls).toEqual([["t:1"], ["u:1"]]);
    await release();
    expect(calls.slice(2)).toEqual([["t:2", "v:1"]]);
    await release();
    await release();
    expect(calls.slice(3)).toEqual([["t:3"]]);
    await release();
    expect(await Promise.all(answers)).toEqual(["one(t:1)", "many(t:2)", "one(u:1)", "one(t:3)", "many(v:1)"]);
  });

  it("drops a member whose request timed out before its batch was sent, with the error it would get alone", async () => {
    const { batcher, calls, release } = recorder();
    const first = batcher.submit("a");
    const late: QueryScope = { closed: false };
    const timedOut = expect(runInQueryScope(late, () => batcher.submit("b"))).rejects.toBeInstanceOf(QueryScopeClosedError);
    const kept = batcher.submit("c");
    await flush();
    late.closed = true;
    await release();
    await timedOut;
    expect(calls).toEqual([["a"], ["c"]]);
    await release();
    expect([await first, await kept]).toEqual(["one(a)", "one(c)"]);
    // Already closed when it arrives: refused at once, as the unbatched query would be.
    await expect(runInQueryScope(late, () => batcher.submit("d"))).rejects.toBeInstanceOf(QueryScopeClosedError);
  });

  it("lets go of timed-out requests while the statement in flight does not return", async () => {
    const { batcher, calls, release } = recorder({ maxBatchSize: 2 });
    const first = batcher.submit("first");
    const scope: QueryScope = { closed: false };
    const stuck = Array.from({ length: 8 }, (_, i) => runInQueryScope(scope, () => batcher.submit(`s${i}`)).catch((err: unknown) => err));
    scope.closed = true;
    // The next arrival finds the queue long and drops the closed ones at once, before any statement returns.
    const next = batcher.submit("next");
    for (const p of stuck) expect(await p).toBeInstanceOf(QueryScopeClosedError);
    expect(calls).toEqual([["first"]]);
    await release();
    await release();
    expect([await first, await next]).toEqual(["one(first)", "one(next)"]);
  });

  it("runs a batch statement outside the scope of the request that happened to send it", async () => {
    const seen: (QueryScope | undefined)[] = [];
    const { currentQueryScope } = await import("../../db/database.js");
    const scope: QueryScope = { closed: false };
    const { batcher, release } = recorder({
      async many(inputs) {
        seen.push(currentQueryScope());
        return inputs.map((i) => `many(${i})`);
      },
    });
    const a = runInQueryScope(scope, () => batcher.submit("a"));
    const b = runInQueryScope(scope, () => batcher.submit("b"));
    const c = batcher.submit("c");
    await release();
    expect(await Promise.all([a, b, c])).toEqual(["one(a)", "many(b)", "many(c)"]);
    expect(seen).toEqual([undefined]);
  });

  it("when the database refuses a batch, runs each member alone: one bad input fails only its own request", async () => {
    const alone: string[] = [];
    const { batcher } = recorder({
      async one(input) {
        alone.push(input);
        if (input === "bad") throw refused("22P02");
        return `one(${input})`;
      },
      async many() {
        throw refused("22P02");
      },
    });
    const first = batcher.submit("first");
    const settled = await Promise.allSettled(["x", "bad", "y"].map((i) => batcher.submit(i)));
    expect(await first).toBe("one(first)");
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(alone).toEqual(["first", "x", "bad", "y"]);
  });

  it("fails every member with the error when the outcome is unknown (the connection broke)", async () => {
    const broken = Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" });
    let alone = 0;
    const { batcher } = recorder({
      async one(input) {
        alone++;
        return `one(${input})`;
      },
      async many() {
        throw broken;
      },
    });
    const first = batcher.submit("first");
    const results = await Promise.allSettled([batcher.submit("x"), batcher.submit("y")]);
    expect(await first).toBe("one(first)");
    expect(results).toEqual([
      { status: "rejected", reason: broken },
      { status: "rejected", reason: broken },
    ]);
    expect(alone).toBe(1);
  });

  it("sends deferred members again, first, in the next batch", async () => {
    const { batcher, calls, release } = recorder({
      async many(inputs) {
        calls.push(inputs);
        return inputs.map((i, n) => (n > 0 && i.startsWith("d") ? DEFER : `many(${i})`));
      },
    });
    const answers = ["a", "b", "d1", "d2", "e"].map((x) => batcher.submit(x));
    await release();
    await flush();
    // d2 is deferred again (it is not first), then goes alone.
    expect(calls).toEqual([["a"], ["b", "d1", "d2"], ["d1", "d2", "e"], ["d2"]]);
    await release();
    expect(await Promise.all(answers)).toEqual(["one(a)", "many(b)", "many(d1)", "one(d2)", "many(e)"]);
  });

  it("tells database refusals from other failures", () => {
    expect(isRefusedByDatabase(refused("23505"))).toBe(true);
    expect(isRefusedByDatabase(Object.assign(new Error("x"), { severity: "FATAL", code: "57P01" }))).toBe(false);
    expect(isRefusedByDatabase(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(false);
    expect(isRefusedByDatabase(new Error("plain"))).toBe(false);
  });
});
