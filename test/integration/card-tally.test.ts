/**
 * The per-user card tallies of migration 0012 (user_card_tally), counted by the fold job
 * (src/domain/stats/card-tally-fold.ts): after the job has run, the table equals a recount from the
 * games by the rule GET /api/stats/cards applies; whatever the job's progress (nothing counted,
 * part, all, a user marked since games were deleted), the endpoint answers exactly what it answers
 * from the games alone. Games deleted mark their players, an account deleted takes its tallies, two
 * instances folding at once count each game once. The migration counts nothing itself: the job
 * counts the games stored before it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase, type Db } from "../../src/db/database.js";
import { cardTallyRepository } from "../../src/repositories/card-tally-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createCardTallyFold } from "../../src/domain/stats/card-tally-fold.js";
import { createPostgresDatabase, createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from "../support/databases.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, signUp, type TestApp } from "../support/test-app.js";

const L1 = "9226435975";
const L2 = "2580909557";
const B1 = "4301437393";
const B2 = "0450346170";
const C1 = "0400955141";
const C2 = "0994241595";
const C3 = "3232845719";

interface TallyRow {
  userId: string;
  format: string;
  leader: string;
  deckId: string;
  cardId: string;
  result: string;
  games: number;
  drawn: number;
  notDrawn: number;
  played: number;
  resourced: number;
}

/**
 * The tallies recounted from the games, by the rules of the queries over the games: the card
 * metrics' (GET /api/stats/cards), and as card '' the seats that came with card metrics (gamesWithCards).
 */
async function recount(db: Db): Promise<TallyRow[]> {
  return rowsOf<TallyRow>(
    await db.execute(sql`
      select * from (
        select s.user_id as "userId", s.format, s.leader, coalesce(s.deck_id, '') as "deckId", m.card_id as "cardId", s.result,
               count(*)::int as games, (count(*) filter (where m.drawn > 0))::int as drawn, (count(*) filter (where not m.drawn > 0))::int as "notDrawn",
               (count(*) filter (where m.played > 0))::int as played, (count(*) filter (where m.resourced > 0))::int as resourced
        from game_seat s
        join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
        cross join lateral unnest(c.card_ids, c.drawn, c.played, c.resourced) as m(card_id, drawn, played, resourced)
        where s.user_id is not null and m.card_id <> s.leader and m.card_id <> s.base
        group by 1, 2, 3, 4, 5, 6
        union all
        select s.user_id, s.format, s.leader, coalesce(s.deck_id, ''), '', s.result, count(*)::int, 0, 0, 0, 0
        from game_seat s
        join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
        where s.user_id is not null and cardinality(c.card_ids) > 0
        group by 1, 2, 3, 4, 5, 6
      ) counted
      order by 1, 2, 3, 4, 5, 6`),
  );
}

async function tallies(db: Db): Promise<TallyRow[]> {
  return rowsOf<TallyRow>(
    await db.execute(sql`
      select user_id as "userId", format, leader, deck_id as "deckId", card_id as "cardId", result,
             games, drawn, not_drawn as "notDrawn", played, resourced
      from user_card_tally order by 1, 2, 3, 4, 5, 6`),
  );
}

type Counts = Partial<Record<"played" | "resourced" | "activated" | "drawn" | "discarded", number>>;
const full = (cards: Record<string, Counts>) =>
  Object.fromEntries(Object.entries(cards).map(([id, c]) => [id, { played: 0, resourced: 0, activated: 0, drawn: 0, discarded: 0, ...c }]));

interface Seat {
  player: string;
  token: string | null;
  leader: string;
  base: string;
  deck: { id: string | null; name?: string };
  winner: boolean;
  cards: Record<string, Counts>;
}

describe.each(databaseKinds)("card tallies (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };
  const players: Record<string, { cookie: string; userId: string; token: string }> = {};

  const report = (gameId: string, seats: [Seat, Seat], format = "premier", finishedAt = "2026-01-05T10:00:00.000Z") =>
    postJson(t, "/api/integration/karabast/game-result", {
      integration: "karabast",
      client_id: partner.clientId,
      client_secret: partner.secret,
      data: {
        gameId,
        lobbyId: `lobby-${gameId}`,
        startedAt: new Date(Date.parse(finishedAt) - 20 * 60_000).toISOString(),
        finishedAt,
        roundNumber: 4,
        sequenceNumber: 1,
        format,
        players: seats.map((s) => ({
          data: { id: s.player, accessToken: s.token, leader: s.leader, base: s.base, deck: { ...s.deck, deckSource: "swuBase" }, isWinner: s.winner },
          cardMetrics: full(s.cards),
        })),
      },
    });
  const play = async (...args: Parameters<typeof report>) => {
    const res = await report(...args);
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const seat = (name: string, over: Partial<Seat> = {}): Seat => ({
    player: `kb-${name}`,
    token: players[name]?.token ?? null,
    leader: L1,
    base: B1,
    deck: { id: `deck-${name}`, name: `Deck of ${name}` },
    winner: true,
    cards: { [C1]: { drawn: 1, played: 1 }, [C2]: {} },
    ...over,
  });
  const cards = async (name: string, query: string) => {
    const res = await t.app.request(`/api/stats/cards${query}`, { headers: { cookie: players[name]!.cookie } });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };
  const newestGameId = async () => Number(rowsOf<{ id: string }>(await tdb.database.db.execute(sql`select coalesce(max(id), 0)::text as id from game`))[0]!.id);
  const foldedUpTo = async () => Number(rowsOf<{ n: string }>(await tdb.database.db.execute(sql`select folded_up_to::text as n from card_tally_state`))[0]!.n);
  const markedUsers = async () => rowsOf<{ userId: string }>(await tdb.database.db.execute(sql`select user_id as "userId" from card_tally_dirty_user order by 1`)).map((r) => r.userId);
  /** Runs the job until it has counted everything stored (as if every id had settled). */
  const foldAll = async () => {
    const upTo = await newestGameId();
    while ((await t.deps.services.cardTallyFold.runOnce(upTo)).behind);
  };
  const expectTalliesRecounted = async () => {
    const expected = await recount(tdb.database.db);
    expect(await tallies(tdb.database.db)).toEqual(expected);
    return expected;
  };
  const FILTERS = (name: string) =>
    ["", `deck=deck-${name}`, "deck=deck-finn-2", `leader=${L1}`, `leader=${L2}`, "format=open", "format=premier", `format=premier&leader=${L1}&deck=deck-rey`, "deck=nothing"];
  /** Every player's cards under every filter equal the answer from the games alone (`from` far in the past keeps every game, and the tallies have no dates). */
  const expectCardsExact = async () => {
    for (const name of ["rey", "finn", "poe"])
      for (const filter of FILTERS(name)) {
        const answer = await cards(name, `?${filter}`);
        expect(answer, `${name} ${filter}`).toEqual(await cards(name, `?${filter}${filter ? "&" : ""}from=2000-01-01`));
      }
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    for (const name of ["rey", "finn", "poe"]) {
      const user = await signUp(t.app, { email: `${name}@example.com` });
      const { linkToken } = await approveLink(t, user.cookie, { clientId: partner.clientId, externalUserId: `kb-${name}` });
      const token = ((await (await confirm(t, partner, linkToken, `kb-${name}`)).json()) as TokenBody).access_token;
      players[name] = { ...user, token };
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("ingest counts nothing; the job then counts every attributed seat's cards as a recount of the games does", async () => {
    // Both seats attributed; Rey's own leader and base among her cards (never counted); a draw (two winners).
    await play("t-1", [
      seat("rey", { cards: { [L1]: { activated: 1 }, [B1]: {}, [C1]: { drawn: 2, played: 1 }, [C2]: { drawn: 1, resourced: 1 }, [C3]: {} } }),
      seat("finn", { leader: L2, base: B2, winner: false, cards: { [C1]: { drawn: 1 }, [C3]: { played: 1 } } }),
    ]);
    await play("t-2", [seat("rey", { winner: true }), seat("finn", { leader: L2, base: B2, winner: true })]); // a draw
    // One attributed seat, an open game, a deck without a Swubase id.
    await play("t-3", [seat("rey", { deck: { id: null, name: "Pasted" }, winner: false, cards: { [C2]: { drawn: 1, played: 2, resourced: 1 } } }), seat("stranger", { winner: true })], "open");
    // Nobody attributed: nothing to count. Then a game without card metrics.
    await play("t-4", [seat("stranger"), seat("other", { winner: false })]);
    await play("t-5", [seat("poe", { cards: {} }), seat("finn", { leader: L2, base: B2, winner: false, cards: {} })]);
    expect(await tallies(tdb.database.db)).toEqual([]);
    await expectCardsExact(); // nothing counted yet: every game read from the seats

    await foldAll();
    // A duplicate report is stored once, and counted once.
    const again = await report("t-1", [seat("rey"), seat("finn", { leader: L2, base: B2, winner: false })]);
    expect(((await again.json()) as { duplicate?: boolean }).duplicate).toBe(true);
    await foldAll();

    const rows = await expectTalliesRecounted();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.cardId === r.leader || [B1, B2].includes(r.cardId))).toEqual([]);
    // Poe's game came without card metrics: neither cards nor a seat row of his.
    expect(rows.filter((r) => r.userId === players.poe!.userId)).toEqual([]);
    expect(rows.find((r) => r.userId === players.rey!.userId && r.cardId === C2 && r.format === "open")).toEqual({
      userId: players.rey!.userId, format: "open", leader: L1, deckId: "", cardId: C2, result: "loss", games: 1, drawn: 1, notDrawn: 0, played: 1, resourced: 1,
    });
    expect(await foldedUpTo()).toBe(await newestGameId());
  });

  it("answers GET /api/stats/cards exactly whatever the job has counted: nothing new, part, all", async () => {
    const before = await foldedUpTo();
    await play("t-6", [seat("finn", { leader: L2, base: B2, deck: { id: "deck-finn-2" }, cards: { [C1]: { drawn: 1, resourced: 1 }, [C2]: { played: 1 } } }), seat("rey", { winner: false })]);
    await play("t-7", [seat("rey", { cards: { [C3]: { drawn: 3, played: 1 } } }), seat("poe", { winner: false, cards: { [C1]: { resourced: 2 } } })]);
    await expectCardsExact(); // two games above the fold
    // The job counts only settled ids: up to t-6, then stops there.
    const t6 = before + 1;
    expect(await t.deps.services.cardTallyFold.runOnce(t6)).toEqual({ foldedUpTo: t6, recounted: 0, behind: false });
    await expectCardsExact();
    await foldAll();
    await expectCardsExact();
    await expectTalliesRecounted();
    expect(((await cards("rey", "")) as { items: unknown[] }).items).toHaveLength(3);
  });

  it("counts at most maxIdsPerStep ids per statement and maxStepsPerRun statements per run, saying it is behind", async () => {
    await t.deps.services.cardTallyFold.runOnce(await newestGameId()); // nothing left from the tests before
    const start = await foldedUpTo();
    for (let i = 0; i < 5; i++) await play(`b-${i}`, [seat("poe", { winner: i % 2 === 0 }), seat("rey", { winner: i % 2 === 1 })]);
    const newest = await newestGameId();
    const fold = createCardTallyFold({ repo: cardTallyRepository(tdb.database.db), maxIdsPerStep: 2, maxStepsPerRun: 2 });
    expect(await fold.runOnce(newest)).toEqual({ foldedUpTo: Math.min(newest, start + 4), recounted: 0, behind: newest > start + 4 });
    await expectCardsExact();
    while ((await fold.runOnce(newest)).behind);
    expect(await foldedUpTo()).toBe(newest);
    await expectTalliesRecounted();
  });

  it("games deleted mark their players, who read from the games until the job counts them again; an account deleted takes its tallies", async () => {
    const db = tdb.database.db;
    await db.execute(sql`delete from game where game_id = 't-2' and client_id = ${partner.clientId}`);
    expect(await markedUsers()).toEqual([players.rey!.userId, players.finn!.userId].sort());
    await expectCardsExact(); // the tallies still count t-2, the marked users' answers do not
    const run = await t.deps.services.cardTallyFold.runOnce(await foldedUpTo());
    expect(run).toMatchObject({ recounted: 2, behind: false });
    expect(await markedUsers()).toEqual([]);
    await expectTalliesRecounted();
    await expectCardsExact();

    // Deleting an account clears its seats' user (0004), and its tallies go with it.
    await db.execute(sql`delete from "user" where id = ${players.finn!.userId}`);
    const rows = await expectTalliesRecounted();
    expect(rows.filter((r) => r.userId === players.finn!.userId)).toEqual([]);
    // A marked player who deletes their account: the mark outlives them (no foreign key, so the
    // client removal that marked them never fails on it) and the next run drops it, counting nothing.
    await db.execute(sql`delete from game where game_id = 't-7' and client_id = ${partner.clientId}`);
    expect(await markedUsers()).toContain(players.poe!.userId);
    await db.execute(sql`delete from "user" where id = ${players.poe!.userId}`);
    expect(await t.deps.services.cardTallyFold.runOnce(await foldedUpTo())).toMatchObject({ behind: false });
    expect(await markedUsers()).toEqual([]);
    expect((await tallies(db)).filter((r) => r.userId === players.poe!.userId)).toEqual([]);
    // Several games at once, then the rest: after the job, nothing left.
    await db.execute(sql`delete from game where game_id in ('t-1', 't-3')`);
    await t.deps.services.cardTallyFold.runOnce(await foldedUpTo());
    await expectTalliesRecounted();
    await db.execute(sql`delete from game`);
    await t.deps.services.cardTallyFold.runOnce(await foldedUpTo());
    expect(await tallies(db)).toEqual([]);
    expect(await markedUsers()).toEqual([]);
  });

  it.skipIf(kind !== "postgres")("two instances folding at once count each game once", async () => {
    const games = Array.from({ length: 24 }, (_, i) => {
      const [a, b] = i % 2 === 0 ? ["rey", "poe"] : ["poe", "rey"];
      return report(`c-${i}`, [seat(a!, { winner: i % 3 !== 0, cards: { [C1]: { drawn: i % 2 }, [C2]: { played: 1 }, [C3]: { resourced: i % 4 } } }), seat(b!, { winner: i % 3 === 0 })]);
    });
    for (const res of await Promise.all(games)) expect(res.status, await res.clone().text()).toBe(200);
    const newest = await newestGameId();
    const other = await openDatabase({ kind: "postgres", url: tdb.url!, maxConnections: 2 }, { migrate: false });
    try {
      const instances = [t.deps.services.cardTallyFold, createCardTallyFold({ repo: cardTallyRepository(other.db), maxIdsPerStep: 3 })];
      await Promise.all(instances.map(async (job) => {
        while ((await job.runOnce(newest)).behind);
      }));
    } finally {
      await other.close();
    }
    const rows = await expectTalliesRecounted();
    // Rey's 24 seats (Poe deleted his account above: his seats count for nobody), each once.
    expect(rows.filter((r) => r.cardId === C1).reduce((n, r) => n + r.games, 0)).toBe(24);
  });
});

describe.each(databaseKinds)("migration 0012 (%s)", (kind: DatabaseKind) => {
  const MIGRATIONS = readdirSync(MIGRATIONS_FOLDER).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  const migrate = async (db: Db, which: (file: string) => boolean) => {
    for (const file of MIGRATIONS.filter(which))
      for (const statement of readFileSync(`${MIGRATIONS_FOLDER}/${file}`, "utf8").split("--> statement-breakpoint"))
        if (statement.trim()) await db.execute(sql.raw(statement));
  };

  it("counts nothing itself: the job counts the games stored before it, then the later ones", async () => {
    const pg = kind === "postgres" ? await createPostgresDatabase() : null;
    const database = await openDatabase(pg ? { kind: "postgres", url: pg.url, maxConnections: 2 } : { kind: "pglite", dataDir: null }, { migrate: false });
    try {
      const { db } = database;
      await migrate(db, (f) => f < "0012");
      const store = async (n: number, userId: string | null) => {
        const [g] = rowsOf<{ id: number }>(
          await db.execute(sql`
            insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
            values ('karabast', ${`m-${n}`}, null, ${n % 2 ? "premier" : "open"}, now(), now(), 3, 1) returning id`),
        );
        for (const seatNo of [0, 1]) {
          const mine = seatNo === 0 ? userId : null;
          await db.execute(sql`
            insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, deck_id, is_winner, result, finished_at, format, opponent_leader, opponent_base)
            values (${g!.id}, ${seatNo}, ${`kb-${seatNo}`}, ${mine}, ${mine ? "linked" : "no_token"}, ${L1}, ${B1}, ${n % 3 ? "d" : null}, ${seatNo === 0}, ${seatNo === 0 ? "win" : "loss"}, now(), 'premier', ${L2}, ${B2})`);
          await db.execute(sql`
            insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
            values (${g!.id}, ${seatNo}, ${`{${L1},${C1},${C2}}`}::text[], ${`{0,${n % 2},1}`}::int[], '{0,1,0}', '{1,0,0}', ${`{1,${n % 3},0}`}::int[], '{0,0,0}')`);
        }
      };
      for (const id of ["u-old", "u-other", "u-new"])
        await db.execute(sql`insert into "user" (id, name, email, email_verified, created_at, updated_at) values (${id}, ${id}, ${`${id}@example.com`}, true, now(), now())`);
      for (let n = 0; n < 6; n++) await store(n, n < 4 ? "u-old" : "u-other");
      await migrate(db, (f) => f.startsWith("0012"));
      expect(await tallies(db)).toEqual([]);
      const fold = createCardTallyFold({ repo: cardTallyRepository(db) });
      const newest = async () => Number(rowsOf<{ id: string }>(await db.execute(sql`select max(id)::text as id from game`))[0]!.id);
      await fold.runOnce(await newest());
      const counted = await recount(db);
      expect(counted.length).toBeGreaterThan(0);
      expect(await tallies(db)).toEqual(counted);
      await store(6, "u-old");
      await store(7, "u-new");
      await fold.runOnce(await newest());
      expect(await tallies(db)).toEqual(await recount(db));
    } finally {
      await database.close();
      await pg?.drop();
    }
  });
});
