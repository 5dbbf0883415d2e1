/**
 * Runs a background job periodically: `runOnce` after `firstDelayMs`, then every `intervalMs`
 * (`catchUpMs`, a second by default, after a run that reports it is `behind`), never two runs at
 * once. A failed run is reported and retried at the next interval. The timer does not keep the
 * process alive. Returns a stop function that waits for a run in progress.
 */
export interface JobTiming {
  intervalMs: number;
  firstDelayMs: number;
  catchUpMs?: number;
}

export function schedulePeriodicJob<R extends { behind: boolean }>(
  runOnce: () => Promise<R>,
  timing: JobTiming,
  report: (outcome: { result?: R; error?: unknown }) => void,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    running = runOnce()
      .then(
        (result) => {
          report({ result });
          next(result.behind ? (timing.catchUpMs ?? 1000) : timing.intervalMs);
        },
        (error: unknown) => {
          report({ error });
          next(timing.intervalMs);
        },
      )
      .finally(() => (running = null));
  };
  next(timing.firstDelayMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
