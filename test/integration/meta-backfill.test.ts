/**
 * Games stored before migration 0011 enter the meta through the refresh job's first runs (the
 * backfill), chunk by chunk: the migration counts them as settled, so nothing waits for them.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../src/db/database.js";
import { createMetaRefresh } from "../../src/domain/meta/meta-refresh.js";
import { createMetaService } from "../../src/domain/meta/meta-service.js";
import { META_CHUNK_SIZE, metaRepository } from "../../src/repositories/meta-repository.js";
import { databaseKinds } from "../support/databases.js";
import { applyMigrations, emptyDatabase } from "../support/migrations.js";

const HAN = "9226435975";
const OSCILLATOR = "4301437393";

/** A game with id `id` (identity overridden, to spread games over chunks) whose seat 0 is user `u-old`'s. */
async function storeGame(db: Db, id: number, result: "win" | "loss" | "draw") {
  await db.execute(sql`
    insert into game (id, client_id, game_id, format, started_at, finished_at) overriding system value
    values (${id}, 'karabast', ${`old-${id}`}, 'premier', '2025-12-01T10:00:00Z', '2025-12-01T10:20:00Z')`);
  await db.execute(sql`
    insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, is_winner, result, finished_at, format, opponent_leader, opponent_base)
    values (${id}, 0, 'kb-old', 'u-old', 'linked', ${HAN}, ${OSCILLATOR}, ${result === "win"}, ${result}, '2025-12-01T10:20:00Z', 'premier', 'x', 'y'),
           (${id}, 1, 'kb-x', null, 'no_token', 'x', 'y', ${result !== "win"}, ${result === "win" ? "loss" : result === "loss" ? "win" : "draw"}, '2025-12-01T10:20:00Z', 'premier', ${HAN}, ${OSCILLATOR})`);
}

describe.each(databaseKinds)("meta backfill after migration 0011 (%s)", (kind) => {
  let handle: { database: Database; drop(): Promise<void> };
  let db: Db;

  beforeAll(async () => {
    handle = await emptyDatabase(kind);
    db = handle.database.db;
    await applyMigrations(db, (f) => f < "0011");
    // 22 games in chunk 0, 3 in chunk 2 (none in chunk 1): 15 won, 8 lost, 2 drawn.
    const ids = [...Array.from({ length: 22 }, (_, i) => i + 1), ...[0, 1, 2].map((i) => 2 * META_CHUNK_SIZE + 7 + i)];
    for (const [i, id] of ids.entries()) await storeGame(db, id, i < 15 ? "win" : i < 23 ? "loss" : "draw");
    await applyMigrations(db, (f) => f >= "0011");
  });
  afterAll(async () => {
    await handle?.drop();
  });

  it("counts the stored games as settled and takes them in over the first runs", async () => {
    const repo = metaRepository(db);
    expect(await repo.state()).toMatchObject({ countedUpTo: 0, settledUpTo: 2 * META_CHUNK_SIZE + 9, pendingSince: null });
    const meta = createMetaService(repo);
    expect((await meta.leaders({})).items).toEqual([]);

    const refresh = createMetaRefresh({ repo, clock: () => new Date("2026-11-25T12:00:00Z"), maxChunksPerRun: 2, sweepChunksPerRun: 0 });
    expect(await refresh.runOnce()).toMatchObject({ chunks: 2, countedUpTo: 2 * META_CHUNK_SIZE - 1, behind: true });
    expect((await meta.leaders({})).items).toMatchObject([{ leader: { id: HAN }, games: 22, wins: 15, losses: 7, draws: 0 }]);
    expect(await refresh.runOnce()).toMatchObject({ chunks: 1, countedUpTo: 2 * META_CHUNK_SIZE + 9, behind: false });
    const leaders = await meta.leaders({ from: "2025-12-01", until: "2025-12-02" });
    expect(leaders.items).toMatchObject([{ leader: { id: HAN }, games: 25, wins: 15, losses: 8, draws: 2, winRate: 15 / 25 }]);
    expect(leaders.refreshedAt).toEqual(new Date("2026-11-25T12:00:00Z"));
    expect((await meta.bases({})).items).toMatchObject([{ base: { id: OSCILLATOR }, games: 25 }]);
    expect((await meta.leaders({ from: "2025-12-02" })).items).toEqual([]);
  });
});
