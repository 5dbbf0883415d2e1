/** The refresh job's choice of chunks and its progress, over an in-memory repository (no database). */
import { describe, expect, it } from "vitest";
import { META_CHUNK_SIZE, type MetaRefreshState, type MetaRepository } from "../../repositories/meta-repository.js";
import { createMetaRefresh } from "./meta-refresh.js";

function fakeRepo(newest: number, initial: Partial<MetaRefreshState> = {}) {
  const repo = {
    newest,
    dirty: new Set<number>(),
    rewritten: [] as number[][],
    run: [] as number[],
    state: { countedUpTo: 0, settledUpTo: 0, pendingUpTo: 0, pendingSince: null, sweepNext: 0, refreshedAt: null, ...initial } as MetaRefreshState,
  };
  const api: Pick<MetaRepository, "state" | "saveState" | "newestGameId" | "dirtyChunks" | "rewriteChunk"> = {
    state: async () => ({ ...repo.state }),
    saveState: async (s, refreshedAt) => {
      repo.state = { ...s, countedUpTo: Math.max(repo.state.countedUpTo, s.countedUpTo), settledUpTo: Math.max(repo.state.settledUpTo, s.settledUpTo), refreshedAt };
      repo.rewritten.push(repo.run);
      repo.run = [];
    },
    newestGameId: async () => repo.newest,
    dirtyChunks: async (limit) => [...repo.dirty].sort((a, b) => a - b).slice(0, limit),
    rewriteChunk: async (chunk) => {
      repo.dirty.delete(chunk);
      repo.run.push(chunk);
      return 0;
    },
  };
  return { repo, api: api as MetaRepository };
}

const clockAt = () => {
  let now = Date.parse("2026-11-25T12:00:00Z");
  const clock = () => new Date(now);
  clock.advance = (ms: number) => (now += ms);
  return clock;
};

describe("meta refresh", () => {
  it("rewrites the newest chunk at every run until its ids have settled, then leaves it", async () => {
    const { repo, api } = fakeRepo(25_000);
    const clock = clockAt();
    const refresh = createMetaRefresh({ repo: api, clock, settleMs: 120_000, sweepChunksPerRun: 0 });

    expect(await refresh.runOnce()).toEqual({ chunks: 3, countedUpTo: 0, settledUpTo: 0, behind: false });
    expect(repo.rewritten.at(-1)).toEqual([0, 1, 2]);
    clock.advance(60_000);
    await refresh.runOnce(); // not settled yet: everything again
    expect(repo.rewritten.at(-1)).toEqual([0, 1, 2]);
    clock.advance(60_000);
    // 25,000 was the newest id two minutes ago: settled now, counted by this run's rewrite.
    expect(await refresh.runOnce()).toEqual({ chunks: 3, countedUpTo: 25_000, settledUpTo: 25_000, behind: false });
    repo.newest = 25_010;
    clock.advance(60_000);
    await refresh.runOnce();
    expect(repo.rewritten.at(-1)).toEqual([2]); // only the chunk with new ids
    clock.advance(60_000);
    await refresh.runOnce();
    expect(repo.rewritten.at(-1)).toEqual([2]); // 25,010 not settled yet
    expect(repo.state.countedUpTo).toBe(25_000);
    clock.advance(120_000);
    await refresh.runOnce();
    clock.advance(60_000);
    await refresh.runOnce();
    expect(repo.state.countedUpTo).toBe(25_010);
    expect(repo.rewritten.at(-1)).toEqual([]);
  });

  it("backfills at most maxChunksPerRun chunks per run, saying it is behind", async () => {
    const { repo, api } = fakeRepo(5 * META_CHUNK_SIZE + 3, { settledUpTo: 5 * META_CHUNK_SIZE + 3, pendingUpTo: 5 * META_CHUNK_SIZE + 3 });
    const refresh = createMetaRefresh({ repo: api, clock: clockAt(), maxChunksPerRun: 2, sweepChunksPerRun: 0 });
    expect(await refresh.runOnce()).toEqual({ chunks: 2, countedUpTo: 2 * META_CHUNK_SIZE - 1, settledUpTo: 5 * META_CHUNK_SIZE + 3, behind: true });
    expect(await refresh.runOnce()).toEqual({ chunks: 2, countedUpTo: 4 * META_CHUNK_SIZE - 1, settledUpTo: 5 * META_CHUNK_SIZE + 3, behind: true });
    expect(await refresh.runOnce()).toEqual({ chunks: 2, countedUpTo: 5 * META_CHUNK_SIZE + 3, settledUpTo: 5 * META_CHUNK_SIZE + 3, behind: false });
    expect(repo.rewritten).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it("rewrites marked chunks whatever their age, and sweeps the counted ones round robin", async () => {
    const settled = 3 * META_CHUNK_SIZE - 1;
    const { repo, api } = fakeRepo(settled, { countedUpTo: settled, settledUpTo: settled, pendingUpTo: settled, pendingSince: new Date("2026-11-25T11:00:00Z") });
    const refresh = createMetaRefresh({ repo: api, clock: clockAt(), sweepChunksPerRun: 1 });
    repo.dirty.add(1);
    await refresh.runOnce();
    expect(repo.rewritten.at(-1)).toEqual([0, 1]); // the mark, and the sweep's first chunk
    for (let i = 0; i < 3; i++) await refresh.runOnce();
    expect(repo.rewritten.slice(1)).toEqual([[1], [2], [0]]);
    expect(repo.dirty.size).toBe(0);
  });
});
