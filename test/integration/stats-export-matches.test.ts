/**
 * The export's match ids (src/domain/stats/match-runs.ts, over the games it read) against the
 * matches /matches lists (SQL windows, matchRuns in stats-repository.ts): for random games of two
 * partners in a few lobbies, with rematches, sequence numbers out of order, games that arrived
 * after their successors, equal start and finish times (to the microsecond), under a random filter
 * that may cut a match and a random limit that may cut one too, every exported game carries the id
 * of the listed match /matches puts it in, or null.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { user } from "../../src/db/schema.js";
import type { StatsFilter } from "../../src/domain/stats/stats-service.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

const USER = "user-matches-property";
const LEADERS = ["9226435975", "2580909557"];

interface PropertyGame {
  client: string;
  lobby: string | null;
  seq: number;
  /** Minutes after 10:00 and microseconds: few distinct values, so starts and finishes coincide. */
  start: [number, number];
  length: [number, number];
  format: string;
}

const game = fc.record<PropertyGame>({
  client: fc.constantFrom("k", "o"),
  lobby: fc.constantFrom(null, "A", "B", "C"),
  seq: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 9 }, { arbitrary: fc.constantFrom(0, 4), weight: 1 }),
  start: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 999_999 }), weight: 1 })),
  length: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 999_999 }), weight: 1 })),
  format: fc.constantFrom("premier", "open"),
});

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));
const filter: fc.Arbitrary<StatsFilter> = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 0, max: 15 }).map((m) => ({ from: at(m) })),
  fc.integer({ min: 0, max: 15 }).map((m) => ({ until: at(m) })),
  fc.constantFrom({ format: "premier" }, { leader: LEADERS[0] }, { bestOf: 3 as const }, { bestOf: 1 as const }),
);

const timestamp = (minutes: number, micros: number) => `${at(minutes).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;

/** Replaces all games with `games`, inserted in this order (the order of `game.id`); "me" in seat 0 of each. */
async function insertGames(db: Db, games: readonly PropertyGame[]) {
  await db.execute(sql`delete from game_seat`);
  await db.execute(sql`delete from game`);
  const values = games.map((g, i) => {
    const started = timestamp(g.start[0], g.start[1]);
    const finished = timestamp(g.start[0] + g.length[0], Math.min(999_999, g.start[1] + g.length[1]));
    return sql`(${g.client}, ${`g${i}`}, ${g.lobby}, ${g.format}, ${started}::timestamptz, ${finished}::timestamptz, ${g.seq}::smallint)`;
  });
  await db.execute(sql`insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, sequence_number) values ${sql.join(values, sql`, `)}`);
  await db.execute(sql`
    insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, is_winner, result, finished_at, format, opponent_leader, opponent_base)
    select id, 0, 'kb-me', ${USER}, 'linked', case when id % 2 = 0 then ${LEADERS[0]} else ${LEADERS[1]} end, '4301437393', true, 'win',
           finished_at, format, '0011262813', '0119018087'
    from game`);
}

describe.each(databaseKinds)("export match ids = /matches (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    await tdb.database.db.insert(user).values({ id: USER, name: "Me", email: "matches-property@example.com" });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("every exported game is in the match /matches lists it in, under any filter and limit", async () => {
    await fc.assert(
      // `written`: how many of the games (the first, by id) have their export record (drizzle/0013);
      // the export reads the others from the games and merges both.
      fc.asyncProperty(fc.array(game, { minLength: 1, maxLength: 24 }), filter, fc.integer({ min: 1, max: 30 }), fc.nat({ max: 24 }), async (games, f, limit, written) => {
        await insertGames(tdb.database.db, games);
        const ids = rowsOf<{ id: number }>(await tdb.database.db.execute(sql`select id::float8 as id from game order by id`)).map((r) => r.id);
        if (written > 0) await t.deps.services.seatExportFold.runOnce(ids[Math.min(written, ids.length) - 1]!);
        const stats = t.deps.services.stats;
        const listed = new Map<string, string>();
        for (const match of (await stats.matches(USER, f, { page: 1, pageSize: 1000 })).items) for (const g of match.games) listed.set(g.gameId, match.matchId);
        const exported = await stats.exportGames(USER, f, limit);
        expect(exported.games.map((g) => [g.gameId, g.matchId])).toEqual(exported.games.map((g) => [g.gameId, listed.get(g.gameId ?? "") ?? null]));
      }),
      { numRuns: 150 },
    );
  });
});
