import { afterEach, describe, expect, it, vi } from "vitest";
import { createWorkQueue, WorkRefused } from "./work-queue.js";

/** A job that finishes when the test says so. */
function job() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    work: () => {
      started = true;
      return done.then(() => "done");
    },
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("createWorkQueue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at most `concurrency` jobs at once, the rest in order", async () => {
    const q = createWorkQueue({ concurrency: 2, maxWaitMs: 10_000 });
    const jobs = [job(), job(), job(), job()];
    const results = jobs.map((j) => q.run(j.work));
    expect(jobs.map((j) => j.started)).toEqual([true, true, false, false]);
    expect(q.stats()).toMatchObject({ running: 2, waiting: 2 });
    jobs[1]!.finish();
    await flush();
    expect(jobs.map((j) => j.started)).toEqual([true, true, true, false]);
    for (const j of jobs) j.finish();
    expect(await Promise.all(results)).toEqual(["done", "done", "done", "done"]);
    expect(q.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("a waiter that waited maxWaitMs is refused and its work never starts", async () => {
    vi.useFakeTimers();
    const q = createWorkQueue({ concurrency: 1, maxWaitMs: 2000 });
    const first = job();
    const second = job();
    const running = q.run(first.work);
    const waiting = q.run(second.work);
    const refused = expect(waiting).rejects.toMatchObject({ reason: "timeout" });
    vi.advanceTimersByTime(2000);
    await refused;
    first.finish();
    await running;
    await vi.runAllTimersAsync();
    expect(second.started).toBe(false);
    expect(q.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("a waiter whose request was abandoned leaves the queue; an aborted one never enters", async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaitMs: 10_000 });
    const first = job();
    const second = job();
    const third = job();
    const abandon = new AbortController();
    const running = q.run(first.work);
    const waiting = q.run(second.work, abandon.signal);
    const next = q.run(third.work);
    abandon.abort();
    await expect(waiting).rejects.toBeInstanceOf(WorkRefused);
    expect(q.stats()).toMatchObject({ waiting: 1 });
    first.finish();
    third.finish();
    await running;
    await next;
    expect(second.started).toBe(false);
    expect(third.started).toBe(true);
    await expect(q.run(job().work, abandon.signal)).rejects.toMatchObject({ reason: "aborted" });
  });

  it("refuses at once what would surely wait longer than maxWaitMs at the average job time", async () => {
    let clock = 0;
    const q = createWorkQueue({ concurrency: 2, maxWaitMs: 1000, now: () => clock });
    const measured = job();
    const p = q.run(measured.work);
    clock += 400; // one job took 400 ms
    measured.finish();
    await p;
    const jobs = Array.from({ length: 6 }, () => job());
    const runs = jobs.map((j) => q.run(j.work).catch((e: WorkRefused) => e.reason));
    // 2 run; waiting ones need 1 and 1 (400 ms), 2 and 2 (800 ms) rounds; the next would need 3 (1,200 ms).
    const refused = q.run(job().work).catch((e: WorkRefused) => e.reason);
    expect(await refused).toBe("overflow");
    expect(q.stats()).toMatchObject({ running: 2, waiting: 4 });
    for (const j of jobs) j.finish();
    expect(await Promise.all(runs)).toEqual(Array(6).fill("done"));
  });

  it("a job that fails frees its slot", async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaitMs: 1000 });
    await expect(q.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await q.run(() => Promise.resolve(1))).toBe(1);
  });
});
