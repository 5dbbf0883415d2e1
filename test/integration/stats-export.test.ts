/**
 * The game export's exact bytes over games written straight into the tables, so every edge the
 * ingest endpoint would smooth over is there: microsecond timestamps, equal timestamps, a game that
 * arrived after its successor (a higher `game.id`), rematches in one lobby, one lobby name at two
 * partners, no lobby, no round count, no deck, text that needs quoting or a formula guard, card
 * ids the catalogue does not know. Pinned before the export was rewritten for speed (issue 14):
 * the same data must give the same CSV and JSON, byte for byte.
 *
 *  game  partner  lobby/seq  started → finished (UTC)              note
 *  k1    k        L / 1      Jan 05 10:00 → 10:20:00.123456       match L:k1 (k1, k2)
 *  z1    k        —          Jan 05 10:10 → 10:30                  no lobby, between k1 and k2
 *  k2    k        L / 2      Jan 05 10:25 → 10:45:00.600           duration 20:00.6 → 1201 s
 *  k3    k        L / 1      Jan 05 11:00 → 11:20                  rematch: a new run, Bo1 (not listed)
 *  k4    k        L / 1      Jan 05 12:00 → 12:20                  match L:k4 (k4, k5)
 *  k5    k        L / 2      Jan 05 12:00 → 12:20                  same start and finish as k4: order by id
 *  m2    k        M / 2      Jan 06 09:30 → 09:50                  arrived first (lower id), played second
 *  m1    k        M / 1      Jan 06 09:00 → 09:20                  match M:m1 (m1, m2)
 *  o1    o        L / 2      Jan 06 12:00 → 12:20                  another partner's lobby L: its own match L:o1
 *  n1    k        —          Jan 07 08:00 → 08:20                  no lobby, no rounds, no deck, unknown cards
 *  x1    k        X / 3      Jan 07 10:00 → 10:20                  a lone game with seq 3: match X:x1
 *  t1    k        T / 1      Jan 08 10:00 → 10:20                  text fields that need quoting and guards
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { createSeatExportFold } from "../../src/domain/stats/seat-export-fold.js";
import { seatExportRepository } from "../../src/repositories/seat-export-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { buildTestApp, fakeClock, signUp, type TestApp } from "../support/test-app.js";

const HAN = "9226435975"; // Han Solo, Worth the Risk
const WEDGE = "0011262813"; // Wedge Antilles, Leader of Red Squadron
const OSCILLATOR = "4301437393"; // Thermal Oscillator
const UNDERCITY = "0119018087"; // Shadowed Undercity

interface SeedGame {
  client: string;
  gameId: string;
  lobby: string | null;
  seq: number;
  started: string;
  finished: string;
  rounds: number | null;
  result: "win" | "loss" | "draw";
  format?: string;
  leader?: string;
  base?: string;
  deck?: { id: string | null; name: string | null };
  opponent?: [string, string];
}

/** Inserts a game with "me" in seat 0 and an unattributed opponent in seat 1, in the order given (the order of `game.id`). */
async function insertGame(db: Db, userId: string, g: SeedGame) {
  const deck = g.deck ?? { id: "deck-1", name: "Han Aggro" };
  const [leader, base] = [g.leader ?? HAN, g.base ?? OSCILLATOR];
  const [opponentLeader, opponentBase] = g.opponent ?? [WEDGE, UNDERCITY];
  const format = g.format ?? "premier";
  await db.execute(sql`
    with inserted as (
      insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
      values (${g.client}, ${g.gameId}, ${g.lobby}, ${format}, ${g.started}::timestamptz, ${g.finished}::timestamptz, ${g.rounds}, ${g.seq})
      returning id, finished_at
    )
    insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, deck_id, deck_name, deck_source,
                           is_winner, result, finished_at, format, opponent_leader, opponent_base)
    select id, 0, 'kb-me', ${userId}::text, 'linked', ${leader}::text, ${base}::text, ${deck.id}::text, ${deck.name}::text, 'swuBase',
           ${g.result === "win"}::boolean, ${g.result}::text, finished_at, ${format}::text, ${opponentLeader}::text, ${opponentBase}::text from inserted
    union all
    select id, 1, 'kb-stranger', null, 'no_token', ${opponentLeader}::text, ${opponentBase}::text, null, null, null,
           ${g.result === "loss"}::boolean, ${g.result === "win" ? "loss" : g.result === "loss" ? "win" : "draw"}::text, finished_at, ${format}::text, ${leader}::text, ${base}::text from inserted`);
}

const GAMES: SeedGame[] = [
  { client: "k", gameId: "k1", lobby: "L", seq: 1, started: "2026-01-05T10:00:00Z", finished: "2026-01-05T10:20:00.123456Z", rounds: 5, result: "win" },
  { client: "k", gameId: "z1", lobby: null, seq: 1, started: "2026-01-05T10:10:00Z", finished: "2026-01-05T10:30:00Z", rounds: 2, result: "win" },
  { client: "k", gameId: "k2", lobby: "L", seq: 2, started: "2026-01-05T10:25:00Z", finished: "2026-01-05T10:45:00.600Z", rounds: 6, result: "loss" },
  { client: "k", gameId: "k3", lobby: "L", seq: 1, started: "2026-01-05T11:00:00Z", finished: "2026-01-05T11:20:00Z", rounds: 4, result: "draw" },
  { client: "k", gameId: "k4", lobby: "L", seq: 1, started: "2026-01-05T12:00:00Z", finished: "2026-01-05T12:20:00Z", rounds: 7, result: "win" },
  { client: "k", gameId: "k5", lobby: "L", seq: 2, started: "2026-01-05T12:00:00Z", finished: "2026-01-05T12:20:00Z", rounds: 8, result: "win" },
  { client: "k", gameId: "m2", lobby: "M", seq: 2, started: "2026-01-06T09:30:00Z", finished: "2026-01-06T09:50:00Z", rounds: 3, result: "loss", format: "open" },
  { client: "k", gameId: "m1", lobby: "M", seq: 1, started: "2026-01-06T09:00:00Z", finished: "2026-01-06T09:20:00Z", rounds: 3, result: "win", format: "open" },
  { client: "o", gameId: "o1", lobby: "L", seq: 2, started: "2026-01-06T12:00:00Z", finished: "2026-01-06T12:20:00Z", rounds: 9, result: "loss" },
  {
    client: "k", gameId: "n1", lobby: null, seq: 1, started: "2026-01-07T08:00:00Z", finished: "2026-01-07T08:20:00Z", rounds: null, result: "draw",
    leader: "1111111111", base: "2222222222", deck: { id: null, name: null }, opponent: ["3333333333", "4444444444"],
  },
  { client: "k", gameId: "x1", lobby: "X", seq: 3, started: "2026-01-07T10:00:00Z", finished: "2026-01-07T10:20:00Z", rounds: 2, result: "win", format: "eternal" },
  {
    client: "k", gameId: "=t1", lobby: "-T, \"one\"", seq: 1, started: "2026-01-08T10:00:00Z", finished: "2026-01-08T10:20:00Z", rounds: 1, result: "loss",
    format: "+open", deck: { id: "@deck", name: "Line 1\r\nLine 2\t\"x\"" },
  },
];

/** How many of the user's games have their export record in seat_export (drizzle/0013). */
async function recordsOf(db: Db, userId: string) {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from seat_export where user_id = ${userId}`));
  return row!.n;
}

/** The id of the newest game: what the meta refresh would find settled once it is old enough. */
async function newestGameId(db: Db) {
  const [row] = rowsOf<{ id: number }>(await db.execute(sql`select max(id)::float8 as id from game`));
  return row!.id;
}

// Each case three ways: before the statistics job wrote any export record (every game read from
// the games, as right after drizzle/0013); after it wrote them all (every game from seat_export);
// and after it wrote those of the first half only (the newer games read from the games, merged).
const CASES = databaseKinds.flatMap((kind) => [
  { kind, written: "none" as const, name: `${kind}, no export record written yet` },
  { kind, written: "all" as const, name: `${kind}, every export record written` },
  { kind, written: "half" as const, name: `${kind}, the first half of the games' export records written` },
]);

describe.each(CASES)("the game export's exact output ($name)", ({ kind, written }) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let me: { cookie: string; userId: string };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock: fakeClock(new Date("2026-02-01T12:00:00Z")) });
    me = await signUp(t.app, { email: "me@example.com" });
    const other = await signUp(t.app, { email: "other@example.com" });
    const { db } = tdb.database;
    const fold = t.deps.services.seatExportFold;
    for (const [i, g] of GAMES.entries()) {
      await insertGame(db, me.userId, g);
      // Half: the job reaches the sixth game (the game ids are in GAMES' order).
      if (written === "half" && i === 5) expect(await fold.runOnce(await newestGameId(db))).toMatchObject({ written: 6, behind: false });
    }
    // Another user's game in lobby L of partner k: not exported, and no part of my runs.
    await insertGame(db, other.userId, { client: "k", gameId: "q1", lobby: "L", seq: 2, started: "2026-01-05T10:10:00Z", finished: "2026-01-05T10:30:00Z", rounds: 1, result: "win" });
    if (written === "all") {
      // Both users' attributed seats (12 + 1); the unattributed opponents' seats are never exported.
      expect(await fold.runOnce(await newestGameId(db))).toMatchObject({ written: GAMES.length + 1, behind: false });
    }
    expect(await recordsOf(db, me.userId)).toBe({ none: 0, half: 6, all: GAMES.length }[written]);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const exported = (query: string) => t.app.request(`/api/stats/export?${query}`, { headers: { cookie: me.cookie } });

  it("CSV", async () => {
    const res = await exported("as=csv");
    expect(res.headers.get("x-export-truncated")).toBe("false");
    expect((await res.text()).split(/(?<=\r\n)(?=\d{4}-)/)).toEqual(CSV);
  });

  it("JSON", async () => {
    const res = await exported("as=json");
    expect(res.headers.get("x-export-truncated")).toBe("false");
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ games: JSON_GAMES, truncated: false });
    expect(text).toBe(JSON.stringify({ games: JSON_GAMES, truncated: false }));
  });

  it("a filter that cuts a match: the first game it leaves in a lobby starts the match", async () => {
    const res = await exported("as=csv&from=2026-01-05T10:30:00Z&to=2026-01-07");
    expect((await res.text()).split(/(?<=\r\n)(?=\d{4}-)/)).toEqual(CSV_CUT);
  });

  it("best-of-three and best-of-one games", async () => {
    const ids = async (query: string) => ((await (await exported(`as=json&${query}`)).json()) as { games: { gameId: string; matchId: string | null }[] }).games.map((g) => `${g.gameId} ${g.matchId}`);
    expect(await ids("bo=3")).toEqual(BO3);
    expect(await ids("bo=1")).toEqual(BO1);
  });

  it("truncated at the limit, newest first", async () => {
    const capped = await t.deps.services.stats.exportGames(me.userId, {}, 4);
    expect(capped.truncated).toBe(true);
    expect(capped.games.map((g) => `${g.gameId} ${g.matchId}`)).toEqual(["=t1 null", "x1 X:x1", "n1 null", "o1 L:o1"]);
    expect((await t.deps.services.stats.exportGames(me.userId, {}, GAMES.length)).truncated).toBe(false);
    // The limit cuts lobby L between k2 and k1 (z1 between them is the row read past the limit):
    // k2's match is still named by k1, as /matches names it.
    const cut = await t.deps.services.stats.exportGames(me.userId, {}, 10);
    expect(cut.truncated).toBe(true);
    expect(cut.games.slice(-4).map((g) => `${g.gameId} ${g.matchId}`)).toEqual(["k5 L:k4", "k4 L:k4", "k3 null", "k2 L:k1"]);
  });
});

describe("the export records' job", () => {
  it("writes settled games only, a bounded range per step, and says when it is behind", async () => {
    const tdb = await createTestDatabase("pglite");
    try {
      const t = buildTestApp(tdb.database, { clock: fakeClock(new Date("2026-02-01T12:00:00Z")) });
      const me = await signUp(t.app, { email: "me@example.com" });
      const { db } = tdb.database;
      for (const g of GAMES) await insertGame(db, me.userId, g);
      const newest = await newestGameId(db);
      expect(GAMES).toHaveLength(12);
      const job = createSeatExportFold({ repo: seatExportRepository(db), maxIdsPerStep: 3, maxStepsPerRun: 2 });
      // Only up to what is settled: here the 4th game.
      expect(await job.runOnce(newest - 8)).toEqual({ exportedUpTo: newest - 8, written: 4, behind: false });
      expect(await job.runOnce(newest)).toEqual({ exportedUpTo: newest - 2, written: 6, behind: true });
      expect(await job.runOnce(newest)).toEqual({ exportedUpTo: newest, written: 2, behind: false });
      expect(await job.runOnce(newest)).toEqual({ exportedUpTo: newest, written: 0, behind: false });
      expect(await recordsOf(db, me.userId)).toBe(12);
      // A deleted game takes its record along.
      await db.execute(sql`delete from game where game_id = 'k1'`);
      expect(await recordsOf(db, me.userId)).toBe(11);
      // A seat whose user is gone (game_seat has no foreign key to the user) is left out; the job goes on.
      await insertGame(db, "no-such-user", { ...GAMES[0]!, gameId: "ghost" });
      await insertGame(db, me.userId, { ...GAMES[0]!, gameId: "after-ghost" });
      expect(await job.runOnce(await newestGameId(db))).toEqual({ exportedUpTo: await newestGameId(db), written: 1, behind: false });
      expect(await recordsOf(db, me.userId)).toBe(12);
      // A deleted account takes its records along.
      await db.execute(sql`delete from "user" where id = ${me.userId}`);
      expect(await recordsOf(db, me.userId)).toBe(0);
    } finally {
      await tdb.drop();
    }
  });
});

// Written by the export before its rewrite (issue 14), the same on both databases.
const CSV = [
  "finishedAt,format,lobbyId,matchId,myLeaderId,myLeaderName,myBaseId,myBaseName,deckId,deckName,opponentLeaderId,opponentLeaderName,opponentBaseId,opponentBaseName,result,rounds,durationSeconds,gameId\r\n",
  "2026-01-08T10:20:00.000Z,'+open,\"'-T, \"\"one\"\"\",,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,'@deck,\"Line 1\r\nLine 2\t\"\"x\"\"\",0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,1,1200,'=t1\r\n",
  "2026-01-07T10:20:00.000Z,eternal,X,X:x1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,2,1200,x1\r\n",
  "2026-01-07T08:20:00.000Z,premier,,,1111111111,1111111111,2222222222,2222222222,,,3333333333,3333333333,4444444444,4444444444,draw,,1200,n1\r\n",
  "2026-01-06T12:20:00.000Z,premier,L,L:o1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,9,1200,o1\r\n",
  "2026-01-06T09:50:00.000Z,open,M,M:m1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,3,1200,m2\r\n",
  "2026-01-06T09:20:00.000Z,open,M,M:m1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,3,1200,m1\r\n",
  "2026-01-05T12:20:00.000Z,premier,L,L:k4,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,8,1200,k5\r\n",
  "2026-01-05T12:20:00.000Z,premier,L,L:k4,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,7,1200,k4\r\n",
  "2026-01-05T11:20:00.000Z,premier,L,,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,draw,4,1200,k3\r\n",
  "2026-01-05T10:45:00.600Z,premier,L,L:k1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,6,1201,k2\r\n",
  "2026-01-05T10:30:00.000Z,premier,,,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,2,1200,z1\r\n",
  "2026-01-05T10:20:00.123Z,premier,L,L:k1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,5,1200,k1\r\n",
];

const JSON_GAMES = [
  { finishedAt: "2026-01-08T10:20:00.000Z", format: "+open", lobbyId: "-T, \"one\"", matchId: null, myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "@deck", deckName: "Line 1\r\nLine 2\t\"x\"", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "loss", rounds: 1, durationSeconds: 1200, gameId: "=t1" },
  { finishedAt: "2026-01-07T10:20:00.000Z", format: "eternal", lobbyId: "X", matchId: "X:x1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 2, durationSeconds: 1200, gameId: "x1" },
  { finishedAt: "2026-01-07T08:20:00.000Z", format: "premier", lobbyId: null, matchId: null, myLeaderId: "1111111111", myLeaderName: "1111111111", myBaseId: "2222222222", myBaseName: "2222222222", deckId: null, deckName: null, opponentLeaderId: "3333333333", opponentLeaderName: "3333333333", opponentBaseId: "4444444444", opponentBaseName: "4444444444", result: "draw", rounds: null, durationSeconds: 1200, gameId: "n1" },
  { finishedAt: "2026-01-06T12:20:00.000Z", format: "premier", lobbyId: "L", matchId: "L:o1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "loss", rounds: 9, durationSeconds: 1200, gameId: "o1" },
  { finishedAt: "2026-01-06T09:50:00.000Z", format: "open", lobbyId: "M", matchId: "M:m1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "loss", rounds: 3, durationSeconds: 1200, gameId: "m2" },
  { finishedAt: "2026-01-06T09:20:00.000Z", format: "open", lobbyId: "M", matchId: "M:m1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 3, durationSeconds: 1200, gameId: "m1" },
  { finishedAt: "2026-01-05T12:20:00.000Z", format: "premier", lobbyId: "L", matchId: "L:k4", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 8, durationSeconds: 1200, gameId: "k5" },
  { finishedAt: "2026-01-05T12:20:00.000Z", format: "premier", lobbyId: "L", matchId: "L:k4", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 7, durationSeconds: 1200, gameId: "k4" },
  { finishedAt: "2026-01-05T11:20:00.000Z", format: "premier", lobbyId: "L", matchId: null, myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "draw", rounds: 4, durationSeconds: 1200, gameId: "k3" },
  { finishedAt: "2026-01-05T10:45:00.600Z", format: "premier", lobbyId: "L", matchId: "L:k1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "loss", rounds: 6, durationSeconds: 1201, gameId: "k2" },
  { finishedAt: "2026-01-05T10:30:00.000Z", format: "premier", lobbyId: null, matchId: null, myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 2, durationSeconds: 1200, gameId: "z1" },
  { finishedAt: "2026-01-05T10:20:00.123Z", format: "premier", lobbyId: "L", matchId: "L:k1", myLeaderId: "9226435975", myLeaderName: "Han Solo, Worth the Risk", myBaseId: "4301437393", myBaseName: "Thermal Oscillator", deckId: "deck-1", deckName: "Han Aggro", opponentLeaderId: "0011262813", opponentLeaderName: "Wedge Antilles, Leader of Red Squadron", opponentBaseId: "0119018087", opponentBaseName: "Shadowed Undercity", result: "win", rounds: 5, durationSeconds: 1200, gameId: "k1" },
];

const CSV_CUT = [
  "finishedAt,format,lobbyId,matchId,myLeaderId,myLeaderName,myBaseId,myBaseName,deckId,deckName,opponentLeaderId,opponentLeaderName,opponentBaseId,opponentBaseName,result,rounds,durationSeconds,gameId\r\n",
  "2026-01-07T10:20:00.000Z,eternal,X,X:x1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,2,1200,x1\r\n",
  "2026-01-07T08:20:00.000Z,premier,,,1111111111,1111111111,2222222222,2222222222,,,3333333333,3333333333,4444444444,4444444444,draw,,1200,n1\r\n",
  "2026-01-06T12:20:00.000Z,premier,L,L:o1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,9,1200,o1\r\n",
  "2026-01-06T09:50:00.000Z,open,M,M:m1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,3,1200,m2\r\n",
  "2026-01-06T09:20:00.000Z,open,M,M:m1,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,3,1200,m1\r\n",
  "2026-01-05T12:20:00.000Z,premier,L,L:k4,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,8,1200,k5\r\n",
  "2026-01-05T12:20:00.000Z,premier,L,L:k4,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,7,1200,k4\r\n",
  "2026-01-05T11:20:00.000Z,premier,L,,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,draw,4,1200,k3\r\n",
  "2026-01-05T10:45:00.600Z,premier,L,L:k2,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,loss,6,1201,k2\r\n",
  "2026-01-05T10:30:00.000Z,premier,,,9226435975,\"Han Solo, Worth the Risk\",4301437393,Thermal Oscillator,deck-1,Han Aggro,0011262813,\"Wedge Antilles, Leader of Red Squadron\",0119018087,Shadowed Undercity,win,2,1200,z1\r\n",
];

const BO3 = ["x1 X:x1", "o1 L:o1", "m2 M:m1", "m1 M:m1", "k5 L:k4", "k4 L:k4", "k2 L:k1", "k1 L:k1"];
const BO1 = ["=t1 null", "n1 null", "k3 null", "z1 null"];
