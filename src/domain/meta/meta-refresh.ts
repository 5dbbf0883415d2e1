/**
 * Keeps meta_daily up to date with a bounded periodic job instead of at ingest, so the game
 * ingest statement and its indexes stay exactly as they were (issue 14: ingest throughput).
 *
 * Each run rewrites whole chunks of META_CHUNK_SIZE game ids (meta-repository.ts):
 * - the new games: every chunk from the one after `countedUpTo` to the newest game id, at most
 *   `maxChunksPerRun` (the backfill after the upgrade takes as many runs as it needs, the next
 *   one a second later);
 * - the chunks marked dirty: a player opted out or back in, an account or games were deleted;
 * - `sweepChunksPerRun` chunks of the slow sweep, round robin over everything counted, as a
 *   safety net.
 *
 * Game ids come from an identity column: a statement may take id 100, and commit after the one
 * that took 101 is already visible. So `countedUpTo` advances only over *settled* ids: the
 * newest id seen at least `settleMs` (two minutes) earlier, by which time every statement that
 * took a lower id has committed or failed (the request timeout is far shorter). Until then the
 * newest chunk is rewritten at every run; nothing is missed, at the price of one chunk per run.
 */
import { chunkOf, META_CHUNK_SIZE, type MetaRepository } from "../../repositories/meta-repository.js";

export interface MetaRefreshOptions {
  repo: MetaRepository;
  clock: () => Date;
  settleMs?: number;
  maxChunksPerRun?: number;
  sweepChunksPerRun?: number;
}

export interface MetaRefreshResult {
  /** Chunks rewritten by this run. */
  chunks: number;
  /** Every game with an id up to this is in the meta (or left out by choice). */
  countedUpTo: number;
  /** Every game with an id up to this has committed or never will (the card tallies' fold counts up to it). */
  settledUpTo: number;
  /** More new chunks are waiting than one run rewrites (the backfill). */
  behind: boolean;
}

const DEFAULT_SETTLE_MS = 2 * 60_000;

export function createMetaRefresh(options: MetaRefreshOptions) {
  const { repo, clock } = options;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const maxChunks = options.maxChunksPerRun ?? 50;
  const sweepChunks = options.sweepChunksPerRun ?? 1;

  async function runOnce(): Promise<MetaRefreshResult> {
    const now = clock();
    const state = await repo.state();
    const newest = await repo.newestGameId();

    let { settledUpTo, pendingUpTo, pendingSince } = state;
    if (pendingSince === null || now.getTime() - pendingSince.getTime() >= settleMs) {
      if (pendingSince !== null) settledUpTo = Math.max(settledUpTo, pendingUpTo);
      pendingUpTo = newest;
      pendingSince = now;
    }

    const chunks = new Set<number>();
    let covered = state.countedUpTo;
    if (newest > state.countedUpTo) {
      const last = Math.min(chunkOf(newest), chunkOf(state.countedUpTo + 1) + maxChunks - 1);
      for (let c = chunkOf(state.countedUpTo + 1); c <= last; c++) chunks.add(c);
      covered = (last + 1) * META_CHUNK_SIZE - 1;
    }
    for (const c of await repo.dirtyChunks(maxChunks)) chunks.add(c);
    let sweepNext = state.sweepNext;
    if (state.countedUpTo > 0) {
      for (let i = 0; i < sweepChunks; i++) {
        if (sweepNext > chunkOf(state.countedUpTo)) sweepNext = 0;
        chunks.add(sweepNext++);
      }
    }

    for (const c of [...chunks].sort((a, b) => a - b)) await repo.rewriteChunk(c);

    const countedUpTo = Math.max(state.countedUpTo, Math.min(settledUpTo, covered));
    await repo.saveState({ countedUpTo, settledUpTo, pendingUpTo, pendingSince, sweepNext }, now);
    return { chunks: chunks.size, countedUpTo, settledUpTo, behind: newest > covered };
  }

  return { runOnce };
}

export type MetaRefresh = ReturnType<typeof createMetaRefresh>;
