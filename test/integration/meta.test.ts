/**
 * The meta across players (GET /api/meta/leaders, /api/meta/bases) over a small hand-computed set
 * of games reported through the real endpoint, kept by the refresh job (run by hand here, with
 * the slow sweep off so each rewrite has a reason):
 *
 *  group  day (UTC)  format   attributed seat           opponent (unlinked)  results (W–L–D)
 *  1      Jan 05     premier  A: Han / Oscillator        Maul / Temple        12–6–2   (20 games)
 *  2      Jan 10     premier  B: Qui-Gon / Temple        Han / Oscillator     10–9–0   (19 games; B in seat 1)
 *  4      Jan 20     open     C: Maul / Oscillator       Qui-Gon / Temple     15–8–2   (25 games)
 *  3      Jan 12     premier  A: Han / Oscillator  vs  B: Qui-Gon / Temple   A won    (1 game, both attributed; sent last)
 *
 * Only attributed seats count, each on its own: the unlinked opponents' leaders never do.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaRefresh, type MetaRefresh } from "../../src/domain/meta/meta-refresh.js";
import { wilsonInterval } from "../../src/domain/stats/wilson.js";
import { metaRepository } from "../../src/repositories/meta-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { karabastGameResultBody, type SimulatedPlayer } from "../support/karabast-report.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const HAN = { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" };
const QUIGON = { id: "2580909557", name: "Quigon Jinn", subtitle: "Student of the Living Force" };
const MAUL = { id: "0024560758", name: "Darth Maul", subtitle: "Sith Revealed" };
const OSCILLATOR = { id: "4301437393", name: "Thermal Oscillator" };
const TEMPLE = { id: "0450346170", name: "Jedi Temple" };

const row = (card: Record<string, unknown>, games: number, wins: number, losses: number, draws: number) => ({
  ...card,
  games,
  wins,
  losses,
  draws,
  winRate: wins / games,
  winRateInterval: wilsonInterval(wins, games),
});
const leader = (card: typeof HAN, g: number, w: number, l: number, d: number) => row({ leader: card }, g, w, l, d);
const base = (card: typeof OSCILLATOR, g: number, w: number, l: number, d: number) => row({ base: card }, g, w, l, d);

describe.each(databaseKinds)("the meta across players (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  const clock = fakeClock();
  let partner: { clientId: string; secret: string };
  const players: Record<"a" | "b" | "c", { cookie: string; userId: string; token: string; id: string }> = {} as never;
  let refresh: MetaRefresh;
  let sent = 0;

  async function report(gameId: string, day: string, format: string, seats: [SimulatedPlayer, SimulatedPlayer], winners: string[]) {
    sent++;
    const minute = String(sent % 60).padStart(2, "0");
    const body = karabastGameResultBody(partner, {
      gameId,
      lobbyId: `lobby-${gameId}`,
      startedAt: `${day}T10:${minute}:00.000Z`,
      finishedAt: `${day}T11:${minute}:00.000Z`,
      winners,
      players: seats,
    });
    (body.data as { format: string }).format = format;
    const res = await postJson(t, "/api/integration/karabast/game-result", body);
    expect(res.status, await res.clone().text()).toBe(200);
  }
  const seat = (who: "a" | "b" | "c" | string, leaderId: string, baseId: string): SimulatedPlayer => {
    const p = players[who as "a"];
    return p ? { id: p.id, accessToken: p.token, deckLeader: { id: leaderId }, base: { id: baseId } } : { id: who, deckLeader: { id: leaderId }, base: { id: baseId } };
  };
  /** W wins, L losses, D draws for `me` against a stranger. */
  async function series(group: number, day: string, format: string, me: SimulatedPlayer, them: SimulatedPlayer, w: number, l: number, d: number, meInSeat1 = false) {
    const results = [...Array<string>(w).fill("w"), ...Array<string>(l).fill("l"), ...Array<string>(d).fill("d")];
    for (const [i, r] of results.entries()) {
      const winners = r === "w" ? [me.id] : r === "l" ? [them.id] : [me.id, them.id];
      await report(`meta-${group}-${i}`, day, format, meInSeat1 ? [them, me] : [me, them], winners);
    }
  }

  const get = async (path: string) => {
    const res = await t.app.request(`/api/meta/${path}`);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    return (await res.json()) as { items: unknown[]; minGames: number; refreshedAt: string | null };
  };
  const items = async (path: string) => (await get(path)).items;
  /** Runs until every game so far is settled and counted (the clock moves past the settle time). */
  async function settle() {
    for (let i = 0; i < 3; i++) {
      await refresh.runOnce();
      clock.advance(150);
    }
  }
  const dirtyChunks = async () => rowsOf<{ n: number }>(await tdb.database.db.execute(sql`select count(*)::int as n from meta_dirty_chunk`))[0]!.n;
  const patchProfile = (who: "a" | "b" | "c", body: unknown) =>
    t.app.request("/api/me/profile", { method: "PATCH", headers: { cookie: players[who].cookie, origin: TEST_ORIGIN, "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    refresh = createMetaRefresh({ repo: metaRepository(tdb.database.db), clock, sweepChunksPerRun: 0 });
    partner = await registerPartner(t);
    for (const who of ["a", "b", "c"] as const) {
      const { cookie, userId } = await signUp(t.app, { email: `meta-${who}@example.com` });
      const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: `kb-${who}` });
      const res = await confirm(t, partner, linkToken, `kb-${who}`);
      players[who] = { cookie, userId, id: `kb-${who}`, token: ((await res.json()) as TokenBody).access_token };
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("is empty, and says it was never refreshed, before the first run", async () => {
    expect(await get("leaders")).toEqual({ items: [], minGames: 20, refreshedAt: null });
    expect(await get("bases")).toEqual({ items: [], minGames: 20, refreshedAt: null });
  });

  it("counts attributed seats by leader and base, listing only those with at least 20 games (19 hidden)", async () => {
    await series(1, "2026-01-05", "premier", seat("a", HAN.id, OSCILLATOR.id), seat("kb-s1", MAUL.id, TEMPLE.id), 12, 6, 2);
    await series(2, "2026-01-10", "premier", seat("b", QUIGON.id, TEMPLE.id), seat("kb-s2", HAN.id, OSCILLATOR.id), 10, 9, 0, true);
    await series(4, "2026-01-20", "open", seat("c", MAUL.id, OSCILLATOR.id), seat("kb-s3", QUIGON.id, TEMPLE.id), 15, 8, 2);
    await settle();

    const leaders = await get("leaders");
    expect(leaders.items).toEqual([leader(MAUL, 25, 15, 8, 2), leader(HAN, 20, 12, 6, 2)]); // Qui-Gon: 19 games, hidden
    expect(leaders.minGames).toBe(20);
    expect(leaders.refreshedAt).toBe(new Date(clock().getTime() - 150_000).toISOString());
    expect(await items("bases")).toEqual([base(OSCILLATOR, 45, 27, 14, 4)]); // Temple: 19 games, hidden

    // The 20th Qui-Gon game (both seats attributed: each counts for its own player).
    await report("meta-3-0", "2026-01-12", "premier", [seat("a", HAN.id, OSCILLATOR.id), seat("b", QUIGON.id, TEMPLE.id)], ["kb-a"]);
    expect(await items("leaders")).toHaveLength(2); // not before the next run
    await refresh.runOnce();
    expect(await items("leaders")).toEqual([leader(MAUL, 25, 15, 8, 2), leader(HAN, 21, 13, 6, 2), leader(QUIGON, 20, 10, 10, 0)]);
    expect(await items("bases")).toEqual([base(OSCILLATOR, 46, 28, 14, 4), base(TEMPLE, 20, 10, 10, 0)]);
  });

  it("filters by format and by UTC days, both ends included", async () => {
    await settle();
    expect(await items("leaders?format=open")).toEqual([leader(MAUL, 25, 15, 8, 2)]);
    expect(await items("bases?format=open")).toEqual([base(OSCILLATOR, 25, 15, 8, 2)]);
    expect(await items("leaders?format=premier")).toEqual([leader(HAN, 21, 13, 6, 2), leader(QUIGON, 20, 10, 10, 0)]);
    expect(await items("leaders?format=eternal")).toEqual([]);
    expect(await items("leaders?from=2026-01-11")).toEqual([leader(MAUL, 25, 15, 8, 2)]); // Han and Qui-Gon: 1 game each
    expect(await items("leaders?to=2026-01-10")).toEqual([leader(HAN, 20, 12, 6, 2)]); // Qui-Gon: 19
    expect(await items("leaders?from=2026-01-05&to=2026-01-05")).toEqual([leader(HAN, 20, 12, 6, 2)]);
    expect(await items("leaders?from=2026-01-06&to=2026-01-12")).toEqual([leader(QUIGON, 20, 10, 10, 0)]);
    expect(await items("leaders?from=&to=&format=")).toHaveLength(3);
    expect(await items("leaders?to=9999-12-31")).toHaveLength(3);
    expect(await items("leaders?from=0001-01-01&to=2026-01-20")).toHaveLength(3);
  });

  it("refuses bad filters with a 400 naming the parameter", async () => {
    const cases: [string, RegExp][] = [
      ["from=2026-13-01", /^from must be a date \(YYYY-MM-DD\)/],
      ["from=2026-02-30", /^from must be a date/],
      ["to=yesterday", /^to must be a date/],
      ["from=2026-01-05T10:00:00Z", /^from must be a date/],
      ["from=0000-12-31", /^from must be a date/],
      ["from=2026-01-10&to=2026-01-05", /^from must not be after to/],
      [`format=${"x".repeat(51)}`, /^format is too long/],
    ];
    for (const [query, message] of cases) {
      for (const path of ["leaders", "bases"]) {
        const res = await t.app.request(`/api/meta/${path}?${query}`);
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error_description: string }).error_description).toMatch(message);
      }
    }
  });

  it("leaves a player's games out from the next run after they opt out, and takes them back after they opt in", async () => {
    await settle();
    expect(await refresh.runOnce()).toMatchObject({ chunks: 0 }); // everything counted: nothing to rewrite without a reason
    expect((await patchProfile("c", { metaOptOut: true })).status).toBe(200);
    expect(await dirtyChunks()).toBe(1);
    expect(await items("leaders")).toHaveLength(3); // until the next run
    expect(await refresh.runOnce()).toMatchObject({ chunks: 1 });
    expect(await items("leaders")).toEqual([leader(HAN, 21, 13, 6, 2), leader(QUIGON, 20, 10, 10, 0)]);
    expect(await items("bases")).toEqual([base(OSCILLATOR, 21, 13, 6, 2), base(TEMPLE, 20, 10, 10, 0)]);
    expect(await items("leaders?format=open")).toEqual([]);

    // Saving the same choice again, or another field, marks nothing.
    expect((await patchProfile("c", { metaOptOut: true, handle: "Maul_Main" })).status).toBe(200);
    expect(await dirtyChunks()).toBe(0);

    expect((await patchProfile("c", { metaOptOut: false })).status).toBe(200);
    await refresh.runOnce();
    expect(await items("leaders")).toEqual([leader(MAUL, 25, 15, 8, 2), leader(HAN, 21, 13, 6, 2), leader(QUIGON, 20, 10, 10, 0)]);
  });

  it("drops a deleted account's games, and deleted games, at the next run", async () => {
    await settle();
    await tdb.database.db.execute(sql`delete from "user" where id = ${players.b.userId}`);
    expect(await dirtyChunks()).toBe(1);
    await refresh.runOnce();
    expect(await items("leaders")).toEqual([leader(MAUL, 25, 15, 8, 2), leader(HAN, 21, 13, 6, 2)]);
    expect(await items("bases")).toEqual([base(OSCILLATOR, 46, 28, 14, 4)]);

    await t.deps.services.clients.remove(partner.clientId);
    expect(await dirtyChunks()).toBe(1);
    await refresh.runOnce();
    expect(await items("leaders")).toEqual([]);
    expect(await items("bases")).toEqual([]);
  });
});
