/**
 * Games stored before migration 0010 get their seat result from their stored payloads (a draw
 * arrives as two winners, or none), and the statistics read them as draws; their matches are cut
 * at read time (no stored match column), so a rematch stored before is already its own match.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { createStatsService } from "../../src/domain/stats/stats-service.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { statsBreakdownRepository } from "../../src/repositories/stats-breakdown-repository.js";
import { statsRepository } from "../../src/repositories/stats-repository.js";
import { databaseKinds } from "../support/databases.js";
import { applyMigrations, emptyDatabase } from "../support/migrations.js";

interface StoredGame {
  gameId: string;
  lobbyId: string | null;
  seq: number;
  finishedAt: string;
  /** The seat of the Swubase user "u-old" (the other one is unattributed). */
  mySeat: 0 | 1;
  /** game_seat.is_winner of seats 0 and 1, as ingest stored them. */
  flags: [boolean, boolean];
  /** players[i].data.isWinner in the stored payload; null: no payload row; undefined members: the payload lacks them. */
  payloadFlags: [boolean | undefined, boolean | undefined] | null;
}

const GAMES: StoredGame[] = [
  { gameId: "old-1", lobbyId: "m", seq: 1, finishedAt: "2025-12-01T10:00:00Z", mySeat: 0, flags: [true, true], payloadFlags: [true, true] },
  { gameId: "old-2", lobbyId: "m", seq: 2, finishedAt: "2025-12-01T10:30:00Z", mySeat: 1, flags: [false, false], payloadFlags: [false, false] },
  { gameId: "old-3", lobbyId: "m", seq: 1, finishedAt: "2025-12-01T11:00:00Z", mySeat: 1, flags: [false, true], payloadFlags: [false, true] },
  { gameId: "old-4", lobbyId: "m", seq: 2, finishedAt: "2025-12-01T11:30:00Z", mySeat: 0, flags: [true, false], payloadFlags: null },
  { gameId: "old-5", lobbyId: null, seq: 1, finishedAt: "2025-12-01T12:00:00Z", mySeat: 0, flags: [true, true], payloadFlags: null },
  { gameId: "old-6", lobbyId: null, seq: 1, finishedAt: "2025-12-01T12:30:00Z", mySeat: 0, flags: [false, true], payloadFlags: [undefined, undefined] },
];

/** A game with its payload and two seats, in the tables as migration 0009 leaves them (no `result`). */
async function storeGame(db: Db, g: StoredGame) {
  const finished = new Date(g.finishedAt);
  const started = new Date(finished.getTime() - 20 * 60_000);
  const [row] = rowsOf<{ id: number }>(
    await db.execute(sql`
      insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
      values ('karabast', ${g.gameId}, ${g.lobbyId}, 'premier', ${started.toISOString()}::timestamptz, ${finished.toISOString()}::timestamptz, 5, ${g.seq})
      returning id`),
  );
  const id = Number(row!.id);
  if (g.payloadFlags) {
    const players = g.payloadFlags.map((isWinner, seat) => ({ data: { id: `kb-${seat}`, leader: "9226435975", base: "4301437393", deck: { id: "unknown" }, isWinner } }));
    await db.execute(sql`insert into game_payload (game_id, payload) values (${id}, ${JSON.stringify({ gameId: g.gameId, players })}::json)`);
  }
  for (const seat of [0, 1] as const) {
    const mine = seat === g.mySeat;
    await db.execute(sql`
      insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, deck_id, deck_name, deck_source,
                             is_winner, finished_at, format, opponent_leader, opponent_base)
      values (${id}, ${seat}, ${mine ? "kb-old" : "kb-stranger"}, ${mine ? "u-old" : null}, ${mine ? "linked" : "no_token"},
              '9226435975', '4301437393', 'deck-old', 'Old deck', 'swuBase', ${g.flags[seat]}, ${finished.toISOString()}::timestamptz,
              'premier', '2580909557', '0450346170')`);
  }
}

describe.each(databaseKinds)("migration 0010 on stored games (%s)", (kind) => {
  let db: Db;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const empty = await emptyDatabase(kind);
    drop = empty.drop;
    db = empty.database.db;
    await applyMigrations(db, (f) => f < "0010");
    for (const g of GAMES) await storeGame(db, g);
    await applyMigrations(db, (f) => f >= "0010");
  });
  afterAll(async () => {
    await drop?.();
  });

  it("derives win, loss and draw from the stored payloads, else from the seats' flags", async () => {
    const seats = rowsOf<{ game_id: string; seat: number; result: string }>(
      await db.execute(sql`select g.game_id, s.seat, s.result from game_seat s join game g on g.id = s.game_id order by g.game_id, s.seat`),
    );
    expect(seats.map((s) => `${s.game_id}/${s.seat}: ${s.result}`)).toEqual([
      "old-1/0: draw", "old-1/1: draw", // both winners in the payload
      "old-2/0: draw", "old-2/1: draw", // neither
      "old-3/0: loss", "old-3/1: win",
      "old-4/0: win", "old-4/1: loss", // no payload: the seats' flags
      "old-5/0: draw", "old-5/1: draw", // no payload, both flags set
      "old-6/0: loss", "old-6/1: win", // the payload lacks isWinner: the seats' flags
    ]);
  });

  it("the statistics count the stored draws, and cut the stored rematches into matches", async () => {
    // The user's seats: old-1 draw, old-2 draw, old-3 win, old-4 win, old-5 draw, old-6 loss.
    const stats = createStatsService(statsRepository(db), statsBreakdownRepository(db));
    expect(await stats.overview("u-old", {}, { page: 1, pageSize: 1 })).toMatchObject({ games: 6, wins: 2, losses: 1, draws: 3, winRate: 2 / 6 });
    const matches = await stats.matches("u-old", {}, { page: 1, pageSize: 20 });
    expect(matches).toMatchObject({ matches: 2, wins: 1, losses: 0, draws: 1, winRate: 0.5 });
    // Lobby m holds two stored matches (1, 2, 1, 2): no stored column needed to tell them apart.
    expect(matches.items.map((m) => [m.matchId, m.score, m.result, m.games.map((x) => x.gameId)])).toEqual([
      ["m:old-3", "2–0", "win", ["old-3", "old-4"]],
      ["m:old-1", "0–0–2", "draw", ["old-1", "old-2"]],
    ]);
  });
});
