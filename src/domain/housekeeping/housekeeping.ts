/**
 * Housekeeping: what has expired is deleted on a schedule, in bounded batches, so storage stays
 * bounded and no statement holds a long lock:
 * - rotated-away token pairs (retired refresh digests and the access tokens issued with them)
 *   once their refresh token has expired: neither can be used or replayed to any effect any more;
 * - pending approvals whose link token expired a day ago or more (the day keeps a failed confirm
 *   explainable in the audit log's terms for a while);
 * - rate-limit counters whose window has passed.
 */
import type { HousekeepingRepository, PrunedKind } from "../../repositories/housekeeping-repository.js";

export interface HousekeepingOptions {
  repo: HousekeepingRepository;
  clock: () => Date;
  refreshTokenTtlSeconds: number;
  /** Rows per statement. */
  batchSize?: number;
  /** Statements per kind and run; the rest waits for the next run. */
  maxBatches?: number;
}

export type PruneCounts = Record<PrunedKind, number>;

const DAY_MS = 24 * 3600 * 1000;

export function createHousekeeping(options: HousekeepingOptions) {
  const { repo, clock } = options;
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 100;

  async function drain(prune: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const n = await prune(batchSize);
      total += n;
      if (n < batchSize) break;
    }
    return total;
  }

  /** One pass over every kind; returns how many rows of each were deleted. */
  async function runOnce(): Promise<PruneCounts> {
    const now = clock();
    return {
      retiredTokens: await drain((n) => repo.pruneRetiredTokens(new Date(now.getTime() - options.refreshTokenTtlSeconds * 1000), n)),
      expiredPendingLinks: await drain((n) => repo.pruneExpiredPendingLinks(new Date(now.getTime() - DAY_MS), n)),
      expiredRateLimits: await drain((n) => repo.pruneExpiredRateLimits(now, n)),
    };
  }

  return {
    runOnce,

    /**
     * Runs `runOnce` every `intervalMs` (first run one interval after start), never two at once.
     * The timer does not keep the process alive. Returns a stop function that waits for a run in progress.
     */
    schedule(intervalMs: number, report: (outcome: { counts?: PruneCounts; error?: unknown }) => void): () => Promise<void> {
      let running: Promise<void> | null = null;
      const timer = setInterval(() => {
        if (running) return;
        running = runOnce()
          .then((counts) => report({ counts }), (error: unknown) => report({ error }))
          .finally(() => (running = null));
      }, intervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
