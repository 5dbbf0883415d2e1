/**
 * A bounded queue for expensive work (password hashing): at most `concurrency` jobs run at once;
 * the others wait in order, at most `maxWaitMs`. A job is refused at once (no wait) when the queue
 * ahead of it would already take longer than that at the average job time, and a waiter leaves
 * the queue when its signal aborts (the client went away, or the request already answered 503):
 * refused or abandoned work never starts. Work that has started always finishes (a scrypt
 * running on a hashing thread cannot be cancelled). Pure logic and timers, no I/O: tested beside itself.
 */

export type WorkRefusal = "overflow" | "timeout" | "aborted";

export class WorkRefused extends Error {
  constructor(readonly reason: WorkRefusal) {
    super(`work refused (${reason})`);
    this.name = "WorkRefused";
  }
}

export interface WorkQueueOptions {
  concurrency: number;
  maxWaitMs: number;
  now?: () => number;
}

export interface WorkQueue {
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Jobs running and waiting now. */
  stats(): { running: number; waiting: number; averageMs: number };
}

interface Waiter {
  start(): void;
  leave(): void;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const now = options.now ?? (() => performance.now());
  const waiting: Waiter[] = [];
  let running = 0;
  /** Moving average of a job's run time; 0 until one finished (then nobody is refused up front). */
  let averageMs = 0;

  function next() {
    while (running < concurrency && waiting.length > 0) waiting.shift()!.start();
  }

  async function execute<T>(work: () => Promise<T>): Promise<T> {
    running++;
    const started = now();
    try {
      return await work();
    } finally {
      const took = now() - started;
      averageMs = averageMs === 0 ? took : averageMs * 0.8 + took * 0.2;
      running--;
      next();
    }
  }

  return {
    run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(new WorkRefused("aborted"));
      if (running < concurrency && waiting.length === 0) return execute(work);
      const rounds = Math.ceil((waiting.length + 1) / concurrency);
      if (rounds * averageMs > options.maxWaitMs) return Promise.reject(new WorkRefused("overflow"));
      return new Promise<T>((resolve, reject) => {
        const refuse = (reason: WorkRefusal) => {
          waiter.leave();
          reject(new WorkRefused(reason));
        };
        const timer = setTimeout(() => refuse("timeout"), options.maxWaitMs);
        const onAbort = () => refuse("aborted");
        signal?.addEventListener("abort", onAbort, { once: true });
        const waiter: Waiter = {
          start() {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            execute(work).then(resolve, reject);
          },
          leave() {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            const i = waiting.indexOf(waiter);
            if (i >= 0) waiting.splice(i, 1);
          },
        };
        waiting.push(waiter);
      });
    },
    stats: () => ({ running, waiting: waiting.length, averageMs }),
  };
}
