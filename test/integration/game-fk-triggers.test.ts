/**
 * drizzle/0007: a game's payload, seats and card metrics have no foreign keys (their checks were a
 * fifth of the ingest statement and locked the rows it had just inserted); a statement-level
 * trigger on game keeps the cascade.
 */
import { readFileSync } from "node:fs";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/repositories/rows.js";
import { databaseKinds } from "../support/databases.js";
import { openTransaction, stillWaiting } from "../support/open-transaction.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

interface GameData {
  gameId: string;
  players: { data: Record<string, unknown> & { id: string; accessToken: string | null }; cardMetrics: Record<string, unknown> }[];
  [key: string]: unknown;
}

/** The partner's real example payload (its access tokens are placeholders). */
const EXAMPLE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as GameData;

type Partner = { clientId: string; secret: string };
type Player = { externalUserId: string; cookie: string; accessToken: string };
type Counts = { games: number; payloads: number; seats: number; metrics: number };

describe.each(databaseKinds)("game payload, seats and card metrics without foreign keys (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let users = 0;
  let games = 0;


  const query = async <T>(q: SQL) => rowsOf<T>(await suite.tdb.database.db.execute(q));

  /** A new Swubase user linked to the Karabast account `externalUserId` through `via`. */
  async function linkedPlayer(externalUserId: string, via: Partner = suite.partner, cookie?: string): Promise<Player> {
    cookie ??= (await signUp(suite.t.app, { email: `fkg${++users}@example.com` })).cookie;
    const { linkToken } = await approveLink(suite.t, cookie, { clientId: via.clientId, externalUserId });
    const res = await confirm(suite.t, via, linkToken, externalUserId);
    expect(res.status).toBe(200);
    return { externalUserId, cookie, accessToken: ((await res.json()) as TokenBody).access_token };
  }

  /** Sends the example game between two players (both attributed) through the endpoint; returns its row id. */
  async function play(a: Player, b: Player, via: Partner = suite.partner): Promise<number> {
    const data = structuredClone(EXAMPLE);
    data.gameId = `fkg-${++games}`;
    [a, b].forEach((p, i) => {
      data.players[i]!.data.id = p.externalUserId;
      data.players[i]!.data.accessToken = p.accessToken;
    });
    const res = await postJson(suite.t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: via.clientId, client_secret: via.secret, data });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { players: { attributed: boolean }[] }).players.map((p) => p.attributed)).toEqual([true, true]);
    const [row] = await query<{ id: number }>(sql`select id::int as id from game where client_id = ${via.clientId} and game_id = ${data.gameId}`);
    return row!.id;
  }

  /** Rows of these games in all four tables. */
  const rowsOfGames = async (ids: number[]): Promise<Counts> => {
    const list = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const [counts] = await query<Counts>(sql`
      select (select count(*)::int from game where id in (${list})) as games,
             (select count(*)::int from game_payload where game_id in (${list})) as payloads,
             (select count(*)::int from game_seat where game_id in (${list})) as seats,
             (select count(*)::int from game_card_metrics where game_id in (${list})) as metrics`);
    return counts!;
  };
  const whole = (n: number): Counts => ({ games: n, payloads: n, seats: 2 * n, metrics: 2 * n });

  /** Rows of any child table left without their game (or card metrics without their seat). */
  const orphans = async () => {
    const [row] = await query<{ payloads: number; seats: number; metrics: number }>(sql`
      select (select count(*)::int from game_payload p where not exists (select 1 from game g where g.id = p.game_id)) as payloads,
             (select count(*)::int from game_seat s where not exists (select 1 from game g where g.id = s.game_id)) as seats,
             (select count(*)::int from game_card_metrics m
               where not exists (select 1 from game_seat s where s.game_id = m.game_id and s.seat = m.seat)) as metrics`);
    return row!;
  };
  const none = { payloads: 0, seats: 0, metrics: 0 };

  /** What the statistics pages show a player: the overview, and the per-card metrics of the example's decks. */
  async function stats(p: Player) {
    const get = async (path: string) => {
      const res = await suite.t.app.request(`/api/stats/${path}`, { headers: { cookie: p.cookie } });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const decks = EXAMPLE.players.map((pl) => (pl.data as { deck?: { id?: string } }).deck?.id ?? "unknown");
    return { overview: await get("overview"), cards: await Promise.all([...new Set(decks)].map((id) => get(`decks/${encodeURIComponent(id)}/cards`))) };
  }
  const played = async (p: Player) => ((await stats(p)).overview as { games: number }).games;

  it("has no foreign key on game_payload, game_seat or game_card_metrics, and the statement-level triggers on game (cleanup, meta chunks, card tallies)", async () => {
    const fks = await query<{ conname: string }>(sql`
      select conname from pg_constraint
      where contype = 'f' and conrelid in ('game'::regclass, 'game_payload'::regclass, 'game_seat'::regclass, 'game_card_metrics'::regclass)`);
    expect(fks).toEqual([]);
    // tgtype 8: AFTER DELETE, FOR EACH STATEMENT (no ROW, BEFORE or INSTEAD bit); the deleted rows as "gone".
    const triggers = await query<{ table: string; name: string; type: number; enabled: string; old_table: string | null }>(sql`
      select c.relname as table, t.tgname as name, t.tgtype::int as type, t.tgenabled as enabled, t.tgoldtable as old_table
      from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and c.relname = 'game' order by t.tgname`);
    expect(triggers).toEqual([
      // 0012: deleted games mark their players' card tallies; by its name it fires before the children go.
      { table: "game", name: "game_delete_card_tally_marks", type: 8, enabled: "O", old_table: "gone" },
      { table: "game", name: "game_delete_children", type: 8, enabled: "O", old_table: "gone" },
      // 0011: deleted games mark their meta chunks for the next meta refresh (also per statement).
      { table: "game", name: "game_delete_marks_meta_chunks", type: 8, enabled: "O", old_table: "gone" },
    ]);
    // The function plans nested loops over the children's primary keys whatever its first call's row count was.
    const [fn] = await query<{ config: string[] }>(sql`select proconfig as config from pg_proc where proname = 'game_delete_children'`);
    expect([...fn!.config].sort()).toEqual(["enable_hashjoin=off", "enable_mergejoin=off", "enable_seqscan=off"]);
  });

  it("deleting a game deletes its payload, seats and card metrics, and nobody else's", async () => {
    const me = await linkedPlayer("kb-fkg-me");
    const them = await linkedPlayer("kb-fkg-them");
    const bystander = await linkedPlayer("kb-fkg-bystander");
    const gone = await play(me, them);
    const kept = [await play(me, bystander), await play(bystander, them)];
    expect(await rowsOfGames([gone])).toEqual(whole(1));
    expect(await rowsOfGames(kept)).toEqual(whole(2));
    const [meBefore, themBefore, bystanderBefore] = [await stats(me), await stats(them), await stats(bystander)];
    expect([await played(me), await played(them), await played(bystander)]).toEqual([2, 2, 2]);

    await suite.tdb.database.db.execute(sql`delete from game where id = ${gone}`);
    expect(await rowsOfGames([gone])).toEqual(whole(0));
    expect(await rowsOfGames(kept)).toEqual(whole(2));
    expect(await orphans()).toEqual(none);
    // The deleted game no longer counts for its players; the other games' statistics are as they were.
    expect([await played(me), await played(them)]).toEqual([1, 1]);
    expect(await stats(me)).not.toEqual(meBefore);
    expect(await stats(them)).not.toEqual(themBefore);
    expect(await stats(bystander)).toEqual(bystanderBefore);
  });

  it("deleting many games in one statement, then one, deletes exactly their rows", async () => {
    const a = await linkedPlayer("kb-fkg-many-a");
    const b = await linkedPlayer("kb-fkg-many-b");
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await play(a, b));
    const [first, ...rest] = ids;
    await suite.tdb.database.db.execute(sql`delete from game where id in (${sql.join(rest.map((id) => sql`${id}`), sql`, `)})`);
    expect(await rowsOfGames(rest)).toEqual(whole(0));
    expect(await rowsOfGames([first!])).toEqual(whole(1));
    await suite.tdb.database.db.execute(sql`delete from game where id = ${first!}`);
    expect(await rowsOfGames(ids)).toEqual(whole(0));
    expect(await orphans()).toEqual(none);
    // A statement that deletes no game is fine too.
    await suite.tdb.database.db.execute(sql`delete from game where id = -1`);
  });

  it("removing a suite.partner client deletes all of its games' rows in all four tables; other games and their statistics stay", async () => {
    const removed = await registerPartner(suite.t, { clientId: "fkg-removed-suite.partner" });
    const me = await linkedPlayer("kb-fkg-client-me");
    const them = await linkedPlayer("kb-fkg-client-them");
    // The same two users, linked through the suite.partner that goes away as well.
    const meThere = await linkedPlayer("kb-fkg-client-me", removed, me.cookie);
    const themThere = await linkedPlayer("kb-fkg-client-them", removed, them.cookie);
    const theirs = [await play(meThere, themThere, removed), await play(themThere, meThere, removed), await play(meThere, themThere, removed)];
    const ours = [await play(me, them), await play(them, me)];
    expect(await rowsOfGames(theirs)).toEqual(whole(3));
    const [othersBefore] = await query<Counts>(sql`
      select (select count(*)::int from game where client_id <> 'fkg-removed-suite.partner') as games,
             (select count(*)::int from game_payload) - 3 as payloads,
             (select count(*)::int from game_seat) - 6 as seats,
             (select count(*)::int from game_card_metrics) - 6 as metrics`);
    expect(await played(me)).toBe(5);

    expect(await suite.t.deps.services.clients.remove("fkg-removed-suite.partner")).toBe(true); // `npm run cli -- clients remove`
    expect(await rowsOfGames(theirs)).toEqual(whole(0));
    expect(await rowsOfGames(ours)).toEqual(whole(2));
    const [others] = await query<Counts>(sql`
      select (select count(*)::int from game) as games, (select count(*)::int from game_payload) as payloads,
             (select count(*)::int from game_seat) as seats, (select count(*)::int from game_card_metrics) as metrics`);
    expect(others).toEqual(othersBefore);
    expect(await orphans()).toEqual(none);
    // The users keep the statistics of their games through the other suite.partner, and only those.
    expect([await played(me), await played(them)]).toEqual([2, 2]);
    const afterRemoval = await stats(me);
    await suite.tdb.database.db.execute(sql`delete from game where id = ${ours[0]!}`);
    expect(await played(me)).toBe(1);
    expect(await stats(me)).not.toEqual(afterRemoval);
  });

  it.skipIf(kind !== "postgres")("a game committed while its client's games are being deleted directly is not deleted, and stays whole", async () => {
    const them = await linkedPlayer("kb-fkg-race-a");
    const earlier = await play(them, await linkedPlayer("kb-fkg-race-b"));
    // A game with its rows, not yet committed (what the ingest statement of another request wrote).
    const inFlight = await openTransaction(suite.tdb.url!, (tx) => insertGameRows(tx, "fkg-race-late"));
    try {
      // An operator's bulk deletion does not wait for it (nothing locks) and does not see it.
      await suite.tdb.database.db.execute(sql`delete from game where client_id = ${suite.partner.clientId} and game_id like 'fkg-%'`);
      expect(await rowsOfGames([earlier])).toEqual(whole(0));
      await inFlight.commit();
      const [late] = await query<{ id: number }>(sql`select id::int as id from game where game_id = 'fkg-race-late'`);
      expect(await rowsOfGames([late!.id])).toEqual(whole(1));
      expect(await orphans()).toEqual(none);
    } finally {
      await inFlight.close();
    }
  });

  it.skipIf(kind !== "postgres")("a client removal waits for a game in flight, then deletes it with its payload, seats and card metrics", async () => {
    await registerPartner(suite.t, { clientId: "fkg-race-suite.partner" });
    let id = -1;
    const inFlight = await openTransaction(suite.tdb.url!, async (tx) => {
      id = await insertGameRows(tx, "fkg-race-removed", "fkg-race-suite.partner");
    });
    try {
      const removal = suite.t.deps.services.clients.remove("fkg-race-suite.partner");
      expect(await stillWaiting(removal)).toBe(true);
      await inFlight.commit();
      expect(await removal).toBe(true);
      expect(await rowsOfGames([id])).toEqual(whole(0));
      expect(await orphans()).toEqual(none);
    } finally {
      await inFlight.close();
    }
  });

  /** The rows the ingest statement writes for one game, in its order; returns the game's id. */
  async function insertGameRows(tx: postgres.TransactionSql, gameId: string, clientId = suite.partner.clientId): Promise<number> {
    const [g] = await tx<{ id: string }[]>`
      insert into game (client_id, game_id, format, started_at, finished_at) values (${clientId}, ${gameId}, 'premier', now(), now()) returning id`;
    const id = Number(g!.id);
    await tx`insert into game_payload (game_id, payload) values (${id}, '{}')`;
    for (const seat of [0, 1]) {
      await tx`insert into game_seat (game_id, seat, external_user_id, attribution, leader, base, is_winner, result, finished_at, format, opponent_leader, opponent_base)
               values (${id}, ${seat}, 'kb', 'no_token', 'L', 'B', ${seat === 0}, ${seat === 0 ? 'win' : 'loss'}, now(), 'premier', 'L', 'B')`;
      await tx`insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
               values (${id}, ${seat}, '{c}', '{1}', '{0}', '{0}', '{1}', '{0}')`;
    }
    return id;
  }
});
