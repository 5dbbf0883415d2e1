import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { schedulePeriodicJob } from "./periodic-job.js";

describe("schedulePeriodicJob", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs after the first delay, a second later while behind, then at the interval; a failure is reported and retried", async () => {
    const outcomes: string[] = [];
    const results = [{ behind: true }, { behind: false }, new Error("down"), { behind: false }];
    const runOnce = vi.fn(async () => {
      const next = results.shift()!;
      if (next instanceof Error) throw next;
      return next;
    });
    const stop = schedulePeriodicJob(runOnce, { intervalMs: 60_000, firstDelayMs: 5_000 }, ({ result, error }) =>
      outcomes.push(error ? `error ${(error as Error).message}` : `behind ${result!.behind}`),
    );
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runOnce).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomes).toEqual(["behind true"]);
    await vi.advanceTimersByTimeAsync(1_000); // catching up
    expect(outcomes).toEqual(["behind true", "behind false"]);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(runOnce).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomes.at(-1)).toBe("error down");
    await vi.advanceTimersByTimeAsync(60_000); // retried at the interval
    expect(outcomes.at(-1)).toBe("behind false");
    await stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(runOnce).toHaveBeenCalledTimes(4);
  });

  it("stop waits for the run in progress and schedules nothing after it", async () => {
    let finish!: () => void;
    const runOnce = vi.fn(() => new Promise<{ behind: boolean }>((resolve) => (finish = () => resolve({ behind: true }))));
    const stop = schedulePeriodicJob(runOnce, { intervalMs: 1_000, firstDelayMs: 0 }, () => {});
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runOnce).toHaveBeenCalledTimes(1);
  });
});
