/**
 * Keeps the per-user card tallies (drizzle/0012, src/db/schema-stats.ts) up to date with a bounded
 * background job instead of at ingest, so the ingest statement stays exactly as it was (issue 14:
 * ingest throughput must not fall by more than 10 %; counting at ingest cost 20–23 %).
 *
 * Each run:
 * - counts the games with ids up to `settledUpTo` that are not counted yet, `maxIdsPerStep` ids per
 *   statement and at most `maxStepsPerRun` statements (the backfill after the upgrade takes as many
 *   runs as it needs, the next one a second later). Only settled ids (the meta refresh's: every
 *   statement that took a lower id has committed or failed) are counted, so no game that commits
 *   late is skipped;
 * - counts again the tallies of at most `maxUsersPerRun` users whose games were deleted.
 * The readers add what is not counted yet (the games above `folded_up_to`, every game of a marked
 * user), so the endpoint is exact whatever the job's progress; the job only makes it fast.
 */
import type { CardTallyRepository } from "../../repositories/card-tally-repository.js";

export interface CardTallyFoldOptions {
  repo: CardTallyRepository;
  maxIdsPerStep?: number;
  maxStepsPerRun?: number;
  maxUsersPerRun?: number;
}

export interface CardTallyFoldResult {
  /** Every game with an id up to this is in the tallies. */
  foldedUpTo: number;
  /** Users whose tallies were counted again. */
  recounted: number;
  /** Settled games or marked users are left for the next run. */
  behind: boolean;
}

export function createCardTallyFold(options: CardTallyFoldOptions) {
  const { repo } = options;
  const maxIds = options.maxIdsPerStep ?? 10_000;
  const maxSteps = options.maxStepsPerRun ?? 10;
  const maxUsers = options.maxUsersPerRun ?? 20;

  /** One run, counting games up to `settledUpTo` (ids that no open statement can still commit). */
  async function runOnce(settledUpTo: number): Promise<CardTallyFoldResult> {
    let foldedUpTo = await repo.fold(settledUpTo, maxIds);
    for (let step = 1; step < maxSteps && foldedUpTo < settledUpTo; step++) {
      const next = await repo.fold(settledUpTo, maxIds);
      if (next === foldedUpTo) break;
      foldedUpTo = next;
    }
    const marked = await repo.markedUsers(maxUsers + 1);
    for (const userId of marked.slice(0, maxUsers)) await repo.recountUser(userId);
    return { foldedUpTo, recounted: Math.min(marked.length, maxUsers), behind: foldedUpTo < settledUpTo || marked.length > maxUsers };
  }

  return { runOnce };
}

export type CardTallyFold = ReturnType<typeof createCardTallyFold>;
