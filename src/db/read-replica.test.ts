/**
 * The read routing without a database: two fake postgres.js clients whose answers the test
 * decides. test/integration/read-replica.test.ts runs the same against a real primary and replica.
 */
import type { Sql } from "postgres";
import { describe, expect, it } from "vitest";
import { replicaFailure, ReplicaTimeoutError, routeReads, type ReplicaEvent } from "./read-replica.js";

type Behaviour = "rows" | "hang" | { error: unknown };

/** A fake client: `unsafe` returns a lazy thenable like postgres.js's, recording each call. */
function fakeClient(name: string) {
  const calls: { query: string; values: boolean }[] = [];
  const cancelled: string[] = [];
  let behaviour: Behaviour = "rows";
  const answer = (query: string) =>
    behaviour === "rows"
      ? Promise.resolve([{ from: name, query }])
      : behaviour === "hang"
        ? new Promise<never>(() => {})
        : Promise.reject(behaviour.error);
  const client = {
    options: { parsers: {}, serializers: {} },
    unsafe(query: string) {
      const call = { query, values: false };
      const pending = {
        values() {
          call.values = true;
          return pending;
        },
        cancel() {
          cancelled.push(query);
        },
        then(onFulfilled: (v: unknown) => unknown, onRejected: (e: unknown) => unknown) {
          calls.push(call);
          return answer(query).then(onFulfilled, onRejected);
        },
      };
      return pending;
    },
    begin(body: (tx: unknown) => Promise<unknown>) {
      calls.push({ query: "begin", values: false });
      return answer("begin").then(() => body(name));
    },
  };
  return {
    sql: client as unknown as Sql,
    calls,
    cancelled,
    set(b: Behaviour) {
      behaviour = b;
    },
  };
}

const connectionRefused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5433"), { code: "ECONNREFUSED" });

function setup(options: { timeoutMs?: number; retryAfterMs?: number; logEveryMs?: number } = {}) {
  const replica = fakeClient("replica");
  const primary = fakeClient("primary");
  const events: ReplicaEvent[] = [];
  let now = 1_000_000;
  const { client, health } = routeReads(replica.sql, primary.sql, {
    timeoutMs: options.timeoutMs ?? 1000,
    retryAfterMs: options.retryAfterMs ?? 30_000,
    logEveryMs: options.logEveryMs ?? 60_000,
    onEvent: (e) => events.push(e),
    now: () => now,
  });
  const read = async (query = "select 1") => ((await client.unsafe(query)) as { from: string }[])[0]!.from;
  return {
    replica,
    primary,
    events,
    client,
    health,
    read,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("read routing to a replica", () => {
  it("reads from the replica while it answers, keeping drizzle's .values() request", async () => {
    const t = setup();
    expect(await t.read()).toBe("replica");
    await t.client.unsafe("select 2").values();
    expect(t.replica.calls).toEqual([
      { query: "select 1", values: false },
      { query: "select 2", values: true },
    ]);
    expect(t.primary.calls).toEqual([]);
    expect(t.events).toEqual([]);
  });

  it("falls back to the primary when the replica refuses, reports it once, and rests the replica", async () => {
    const t = setup({ retryAfterMs: 30_000 });
    t.replica.set({ error: connectionRefused() });
    // Five reads at once all fail on the replica: one line, five answers from the primary.
    expect(await Promise.all([1, 2, 3, 4, 5].map(() => t.read()))).toEqual(Array(5).fill("primary"));
    expect(t.events).toEqual([{ kind: "down", error: expect.objectContaining({ code: "ECONNREFUSED" }), retryAfterMs: 30_000 }]);
    expect(t.health.isDown).toBe(true);

    // Resting: the replica is not asked at all.
    const asked = t.replica.calls.length;
    t.advance(29_999);
    expect(await t.read()).toBe("primary");
    expect(t.replica.calls.length).toBe(asked);
    expect(t.events).toHaveLength(1);
  });

  it("after the rest, one read probes the replica while the others stay on the primary; its answer brings reads back", async () => {
    const t = setup({ retryAfterMs: 1000 });
    t.replica.set({ error: connectionRefused() });
    await t.read();
    t.replica.set("rows");
    t.advance(1000);
    const asked = t.replica.calls.length;
    const reads = [t.read("probe"), t.read("other-1"), t.read("other-2")];
    expect(await Promise.all(reads)).toEqual(["replica", "primary", "primary"]);
    expect(t.replica.calls.slice(asked).map((c) => c.query)).toEqual(["probe"]);
    expect(t.events.at(-1)).toEqual({ kind: "up", downForMs: 1000, primaryReads: 3 });
    expect(t.health.isDown).toBe(false);
    expect(await t.read()).toBe("replica");
  });

  it("a failed probe rests the replica again and logs at most once a minute", async () => {
    const t = setup({ retryAfterMs: 1000, logEveryMs: 60_000 });
    t.replica.set({ error: connectionRefused() });
    await t.read();
    for (let i = 0; i < 10; i++) {
      t.advance(1000);
      expect(await t.read()).toBe("primary"); // the probe, failed over
      expect(await t.read()).toBe("primary"); // resting again
    }
    expect(t.events.map((e) => e.kind)).toEqual(["down"]);
    t.advance(50_000);
    await t.read();
    expect(t.events.map((e) => e.kind)).toEqual(["down", "still-down"]);
    expect(t.events[1]).toMatchObject({ downForMs: 60_000, primaryReads: 22 });
  });

  it("reports each new outage, one per answered probe", async () => {
    const t = setup({ retryAfterMs: 1000, logEveryMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      t.replica.set({ error: connectionRefused() });
      await t.read();
      t.replica.set("rows");
      t.advance(1000);
      await t.read();
    }
    expect(t.events.map((e) => e.kind)).toEqual(["down", "up", "down", "up", "down", "up"]);
  });

  it("abandons a read the replica leaves unanswered and answers from the primary", async () => {
    const t = setup({ timeoutMs: 30 });
    t.replica.set("hang");
    const started = performance.now();
    expect(await t.read("slow")).toBe("primary");
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    // Not cancelled: postgres.js's cancel() would leave an unhandled rejection when the replica is unreachable.
    expect(t.replica.cancelled).toEqual([]);
    expect(t.events).toEqual([{ kind: "down", error: expect.any(ReplicaTimeoutError), retryAfterMs: 30_000 }]);
  });

  it("throws the query's own errors without asking the primary, and keeps the replica", async () => {
    const t = setup();
    t.replica.set({ error: Object.assign(new Error('relation "nope" does not exist'), { code: "42P01" }) });
    await expect(t.read()).rejects.toThrow(/nope/);
    expect(t.primary.calls).toEqual([]);
    expect(t.health.isDown).toBe(false);
  });

  it("runs a read cancelled by a recovery conflict again on the primary, without resting the replica", async () => {
    const t = setup();
    t.replica.set({ error: Object.assign(new Error("canceling statement due to conflict with recovery"), { code: "40001" }) });
    expect(await t.read()).toBe("primary");
    expect(t.health.isDown).toBe(false);
    expect(t.events).toEqual([]);
    t.replica.set("rows");
    expect(await t.read()).toBe("replica");
  });

  it("routes a read transaction the same way", async () => {
    const t = setup();
    const begin = (t.client as unknown as { begin(body: (tx: unknown) => Promise<unknown>): Promise<unknown> }).begin.bind(t.client);
    expect(await begin((tx) => Promise.resolve(tx))).toBe("replica");
    t.replica.set({ error: connectionRefused() });
    expect(await begin((tx) => Promise.resolve(tx))).toBe("primary");
  });

  it("classifies errors", () => {
    const coded = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ["ECONNREFUSED", "ECONNRESET", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "08006", "08001", "57P01", "57P03", "53300", "REPLICA_TIMEOUT"])
      expect(replicaFailure(coded(code)), code).toBe("unavailable");
    expect(replicaFailure(coded("40001"))).toBe("conflict");
    expect(replicaFailure(new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]))).toBe("unavailable");
    for (const err of [coded("42P01"), coded("22P02"), coded("23505"), new Error("plain"), null, "text"]) expect(replicaFailure(err)).toBeNull();
  });
});
