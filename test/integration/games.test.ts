import { readFileSync } from "node:fs";
import { sql, type SQL } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GameResult } from "../../src/domain/games/game-result.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { GameResultRequest, readWellFormed } from "../../src/server/routes/integration/game-result.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { openTransaction, stillWaiting } from "../support/open-transaction.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, type TestApp } from "../support/test-app.js";

/** The partner's real example payload (its access tokens are placeholders). */
const EXAMPLE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as GameData;
const [P0, P1] = [EXAMPLE.players[0]!.data.id, EXAMPLE.players[1]!.data.id];

interface GameData {
  gameId: string;
  players: { data: Record<string, unknown> & { id: string; accessToken: string | null }; cardMetrics: Record<string, unknown> }[];
  [key: string]: unknown;
}

type Partner = { clientId: string; secret: string };

describe.each(databaseKinds)("POST /api/integration/karabast/game-result (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: Partner;
  let otherPartner: Partner;
  const clock = fakeClock();
  let users = 0;
  let games = 0;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    partner = await registerPartner(t);
    otherPartner = await registerPartner(t, { clientId: "other-partner" });
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  /** A new Swubase user linked to the Karabast account `externalUserId` through the real flow. */
  async function linkKarabastUser(externalUserId: string, via: Partner = partner) {
    const { cookie, userId } = await signUp(t.app, { email: `player${++users}@example.com` });
    const { linkToken } = await approveLink(t, cookie, { clientId: via.clientId, externalUserId });
    const res = await confirm(t, via, linkToken, externalUserId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenBody;
    return { userId, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  /** The example game with a fresh game id and the given tokens. */
  function game(tokens: [string | null, string | null], changes: Partial<GameData> = {}): GameData {
    const data = structuredClone(EXAMPLE);
    data.gameId = `game-${++games}`;
    data.players.forEach((p, i) => (p.data.accessToken = tokens[i]!));
    return { ...data, ...changes };
  }

  const send = (data: unknown, creds: Partner = partner) =>
    postJson(t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: creds.clientId, client_secret: creds.secret, data });

  const query = async <T>(q: SQL) => rowsOf<T>(await tdb.database.db.execute(q));

  const seatsOf = (gameId: string) =>
    query<{ seat: number; external_user_id: string; user_id: string | null; attribution: string }>(
      sql`select s.seat, s.external_user_id, s.user_id, s.attribution from game_seat s join game g on g.id = s.game_id where g.game_id = ${gameId} order by s.seat`,
    );

  it("stores the example game, attributing the linked player only, and stores no token anywhere", async () => {
    const me = await linkKarabastUser(P0);
    const data = game([me.accessToken, null], { extraFromKarabast: { kept: true } });
    const res = await send(data);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      gameId: data.gameId,
      players: [
        { id: P0, attributed: true },
        { id: P1, attributed: false, reason: "no_token" },
      ],
    });
    expect(await seatsOf(data.gameId)).toEqual([
      { seat: 0, external_user_id: P0, user_id: me.userId, attribution: "linked" },
      { seat: 1, external_user_id: P1, user_id: null, attribution: "no_token" },
    ]);

    const [row] = await query<{ format: string; lobby_id: string; round_number: number; sequence_number: number; metrics: number; payload: unknown }>(
      sql`select g.format, g.lobby_id, g.round_number, g.sequence_number, p.payload,
              (select sum(cardinality(m.card_ids))::int from game_card_metrics m where m.game_id = g.id) as metrics
          from game g join game_payload p on p.game_id = g.id where g.game_id = ${data.gameId}`,
    );
    expect(row).toMatchObject({ format: "premier", lobby_id: EXAMPLE.lobbyId, round_number: 3, sequence_number: 1, metrics: 42 });
    // The raw payload is what Karabast sent, minus the tokens; unknown members are kept.
    const payload = (typeof row!.payload === "string" ? JSON.parse(row!.payload) : row!.payload) as GameData;
    const expected = structuredClone(data) as GameData;
    for (const p of expected.players) delete (p.data as Record<string, unknown>).accessToken;
    expect(payload).toEqual(expected);

    // Dump every table: the access token appears nowhere in plaintext.
    const tables = await query<{ name: string }>(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    expect(tables.map((x) => x.name)).toEqual(expect.arrayContaining(["game", "game_payload", "game_seat", "game_card_metrics"]));
    for (const { name } of tables) {
      const [dump] = await query<{ text: string | null }>(sql`select string_agg(t::text, E'\\n') as text from ${sql.identifier(name)} t`);
      expect(dump?.text ?? "", name).not.toContain(me.accessToken);
      expect(dump?.text ?? "", name).not.toContain(me.accessToken.slice(5));
    }
  });

  it("attributes both players when both are linked", async () => {
    const a = await linkKarabastUser("kb-both-a");
    const b = await linkKarabastUser("kb-both-b");
    const data = game([a.accessToken, b.accessToken]);
    data.players[0]!.data.id = "kb-both-a";
    data.players[1]!.data.id = "kb-both-b";
    const res = await send(data);
    expect(((await res.json()) as { players: unknown }).players).toEqual([
      { id: "kb-both-a", attributed: true },
      { id: "kb-both-b", attributed: true },
    ]);
    expect((await seatsOf(data.gameId)).map((s) => s.user_id)).toEqual([a.userId, b.userId]);
  });

  it("is idempotent per client and game id, also for concurrent copies", async () => {
    const me = await linkKarabastUser("kb-dup");
    const data = game([me.accessToken, null]);
    data.players[0]!.data.id = "kb-dup";
    expect((await send(data)).status).toBe(200);
    const again = await send(data);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ success: true, duplicate: true, gameId: data.gameId });

    const twin = game([me.accessToken, null]);
    twin.players[0]!.data.id = "kb-dup";
    const bodies = (await Promise.all([send(twin), send(twin), send(twin)]).then((rs) => Promise.all(rs.map((r) => r.json())))) as { duplicate?: boolean }[];
    expect(bodies.filter((b) => b.duplicate === true)).toHaveLength(2);

    for (const id of [data.gameId, twin.gameId]) {
      const [counts] = await query<{ games: number; seats: number; metrics: number; payloads: number }>(
        sql`select count(distinct g.id)::int as games, count(distinct (s.game_id, s.seat))::int as seats,
                (select sum(cardinality(m.card_ids))::int from game_card_metrics m join game g2 on g2.id = m.game_id where g2.game_id = ${id} and g2.client_id = 'karabast') as metrics,
                (select count(*)::int from game_payload p join game g3 on g3.id = p.game_id where g3.game_id = ${id} and g3.client_id = 'karabast') as payloads
            from game g join game_seat s on s.game_id = g.id where g.game_id = ${id} and g.client_id = 'karabast'`,
      );
      expect(counts).toEqual({ games: 1, seats: 2, metrics: 42, payloads: 1 });
    }
    // Another client may use the same game id: it is a different game.
    const fromOther = await send(data, otherPartner);
    expect(((await fromOther.json()) as { duplicate?: boolean }).duplicate).toBeUndefined();
  });

  it("stores a player unattributed, with the reason, for every unusable token", async () => {
    const me = await linkKarabastUser("kb-me");
    const other = await linkKarabastUser("kb-other");
    const check = async (data: GameData, reasons: (string | undefined)[], creds: Partner = partner) => {
      const res = await send(data, creds);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { players: { reason?: string; attributed: boolean }[] };
      expect(body.players.map((p) => p.reason)).toEqual(reasons);
      expect((await seatsOf(data.gameId)).every((s) => (s.user_id === null) === (s.attribution !== "linked"))).toBe(true);
    };
    const ids = (d: GameData, a: string, b: string) => {
      d.players[0]!.data.id = a;
      d.players[1]!.data.id = b;
      return d;
    };
    // A token belonging to the other player's id, a made-up token, a token of another client.
    await check(ids(game([other.accessToken, me.accessToken]), "kb-me", "kb-other"), ["token_user_mismatch", "token_user_mismatch"]);
    await check(ids(game(["swba_" + "x".repeat(43), "not-a-token"]), "kb-me", "kb-other"), ["invalid_token", "invalid_token"]);
    await check(ids(game([me.accessToken, ""]), "kb-me", "kb-other"), ["invalid_token", "no_token"], otherPartner);
    // Still fine with the right client.
    await check(ids(game([me.accessToken, other.accessToken]), "kb-me", "kb-other"), [undefined, undefined]);

    // Revoked: the partner unlinks kb-other.
    const unlink = await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-other" });
    expect(unlink.status).toBe(200);
    await check(ids(game([me.accessToken, other.accessToken]), "kb-me", "kb-other"), [undefined, "link_revoked"]);

    // Expired: an hour later, past the minute of clock leeway, the access token is dead.
    clock.advance(3600 + 61);
    await check(ids(game([me.accessToken, null]), "kb-me", "kb-other"), ["token_expired", "no_token"]);
  });

  it("keeps history when a player unlinks, and only drops attribution when an account is deleted", async () => {
    const a = await linkKarabastUser("kb-keep-a");
    const b = await linkKarabastUser("kb-keep-b");
    const data = game([a.accessToken, b.accessToken]);
    data.players[0]!.data.id = "kb-keep-a";
    data.players[1]!.data.id = "kb-keep-b";
    expect((await send(data)).status).toBe(200);
    await postJson(t, "/api/integration/unlink", { client_id: partner.clientId, client_secret: partner.secret, external_user_id: "kb-keep-a" });
    expect((await seatsOf(data.gameId)).map((s) => s.user_id)).toEqual([a.userId, b.userId]);

    await tdb.database.db.execute(sql`delete from "user" where id = ${a.userId}`);
    expect(await seatsOf(data.gameId)).toEqual([
      { seat: 0, external_user_id: "kb-keep-a", user_id: null, attribution: "linked" },
      { seat: 1, external_user_id: "kb-keep-b", user_id: b.userId, attribution: "linked" },
    ]);
    // Nothing points at the deleted user's link either.
    const links = await query<{ link_id: string | null }>(
      sql`select s.link_id from game_seat s join game g on g.id = s.game_id where g.game_id = ${data.gameId} order by s.seat`,
    );
    expect(links[0]!.link_id).toBeNull();
    expect(links[1]!.link_id).not.toBeNull();
    const [left] = await query<{ n: number }>(
      sql`select sum(cardinality(m.card_ids))::int as n from game_card_metrics m join game g on g.id = m.game_id where g.game_id = ${data.gameId}`,
    );
    expect(left!.n).toBe(42);
  });

  it("counts a game as a use of the link, and accepts the previous access token until it expires", async () => {
    const me = await linkKarabastUser("kb-prev");
    const lastUsed = async () => {
      const [row] = await query<{ at: string }>(
        sql`select to_char(last_used_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at from user_integration where external_user_id = 'kb-prev' and status = 'active'`,
      );
      return row!.at;
    };
    clock.advance(120);
    const used = clock().toISOString().slice(0, 19);
    const first = game([me.accessToken, null]);
    first.players[0]!.data.id = "kb-prev";
    expect(((await (await send(first)).json()) as { players: unknown[] }).players[0]).toEqual({ id: "kb-prev", attributed: true });
    expect(await lastUsed()).toBe(used);

    // The partner rotates: the old access token stays valid until its own expiry, the new one too.
    const rotated = (await (await refresh(t, partner, me.refreshToken, "kb-prev")).json()) as TokenBody;
    for (const token of [me.accessToken, rotated.access_token]) {
      const data = game([token, null]);
      data.players[0]!.data.id = "kb-prev";
      expect(((await (await send(data)).json()) as { players: unknown[] }).players[0]).toEqual({ id: "kb-prev", attributed: true });
    }
    // Past its expiry and the minute of leeway the first one is dead; the rotated one still lives.
    clock.advance(3600 + 61 - 120);
    for (const [token, expected] of [
      [me.accessToken, { id: "kb-prev", attributed: false, reason: "token_expired" }],
      [rotated.access_token, { id: "kb-prev", attributed: true }],
    ] as const) {
      const late = game([token, null]);
      late.players[0]!.data.id = "kb-prev";
      expect(((await (await send(late)).json()) as { players: unknown[] }).players[0]).toEqual(expected);
    }
  });

  it("removing a client deletes its games; a game still on its way for a removed client is refused, not orphaned", async () => {
    const gone = await registerPartner(t, { clientId: "removed-partner" });
    const me = await linkKarabastUser("kb-removed", gone);
    const data = game([me.accessToken, null]);
    data.players[0]!.data.id = "kb-removed";
    expect((await send(data, gone)).status).toBe(200);
    const [{ id } = { id: -1 }] = await query<{ id: number }>(sql`select id::int from game where client_id = 'removed-partner'`);
    /** Rows of the client's games, and rows of any table left without their game. */
    const stored = () =>
      query<{ games: number; seats: number; payloads: number; metrics: number; orphans: number }>(sql`
        select (select count(*)::int from game where client_id = 'removed-partner') as games,
               (select count(*)::int from game_seat where game_id = ${id}) as seats,
               (select count(*)::int from game_payload where game_id = ${id}) as payloads,
               (select count(*)::int from game_card_metrics where game_id = ${id}) as metrics,
               (select count(*)::int from game_seat s where not exists (select 1 from game g where g.id = s.game_id)) as orphans`);
    expect(await stored()).toEqual([{ games: 1, seats: 2, payloads: 1, metrics: 2, orphans: 0 }]);

    // Another instance still holds the client in its cache (5 s) when the operator removes it.
    await tdb.database.db.execute(sql`delete from partner_client where client_id = 'removed-partner'`);
    expect(await stored()).toEqual([{ games: 0, seats: 0, payloads: 0, metrics: 0, orphans: 0 }]);
    const late = game([me.accessToken, null]);
    late.players[0]!.data.id = "kb-removed";
    const res = await send(late, gone);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
    expect(await stored()).toEqual([{ games: 0, seats: 0, payloads: 0, metrics: 0, orphans: 0 }]);
  });

  it.skipIf(kind !== "postgres")("an account deletion waits for a game in flight, so that game's seat loses the attribution too", async () => {
    const me = await linkKarabastUser("kb-race");
    // A game insert that has read the link and not yet committed (the statement of another request).
    const inFlight = await openTransaction(tdb.url!, async (tx) => {
      const [g] = await tx`insert into game (client_id, game_id, format, started_at, finished_at) values ('karabast', 'race-game', 'premier', now(), now()) returning id`;
      await tx`insert into game_seat (game_id, seat, external_user_id, user_id, attribution, leader, base, is_winner, result, finished_at, format, opponent_leader, opponent_base)
               values (${g!.id}, 0, 'kb-race', ${me.userId}, 'linked', 'L', 'B', true, 'win', now(), 'premier', 'L', 'B')`;
    });
    try {
      const deletion = tdb.database.db.execute(sql`delete from "user" where id = ${me.userId}`);
      expect(await stillWaiting(deletion)).toBe(true);
      await inFlight.commit();
      await deletion;
      expect(await seatsOf("race-game")).toEqual([{ seat: 0, external_user_id: "kb-race", user_id: null, attribution: "linked" }]);
    } finally {
      await inFlight.close();
    }
  });

  it("keeps unknown formats as given and defaults the sequence number to 1", async () => {
    const data = game([null, null], { format: "twin-suns", sequenceNumber: undefined, lobbyId: null });
    expect((await send(data)).status).toBe(200);
    const [row] = await query<{ format: string; sequence_number: number; lobby_id: string | null }>(
      sql`select format, sequence_number, lobby_id from game where game_id = ${data.gameId}`,
    );
    expect(row).toEqual({ format: "twin-suns", sequence_number: 1, lobby_id: null });
  });

  it("rejects malformed results with a 400 naming the field", async () => {
    const player = (i: number, change: (p: GameData["players"][number]) => void) => (d: GameData) => change(d.players[i]!);
    const metrics = (i: number, change: (m: Record<string, unknown>) => void) =>
      player(i, (p) => change(p.cardMetrics[i === 0 ? "0400955141" : "0450346170"] as Record<string, unknown>));
    const cases: [string, (d: GameData) => unknown, RegExp][] = [
      ["one player", (d) => d.players.pop(), /^data\.players must have exactly 2 entries$/],
      ["three players", (d) => d.players.push(d.players[0]!), /^data\.players must have exactly 2 entries$/],
      ["players not a list", (d) => ((d as Record<string, unknown>).players = {}), /^data\.players must be an array$/],
      ["leader not text", player(1, (p) => ((p.data as Record<string, unknown>).leader = 5)), /^data\.players\[1\]\.data\.leader must be a string$/],
      ["deck id not text", player(0, (p) => ((p.data.deck as Record<string, unknown>).id = 7)), /^data\.players\[0\]\.data\.deck\.id must be a string$/],
      ["one player in both seats", (d) => d.players.forEach((p) => (p.data.id = "same-player")), /^data\.players\[1\]\.data\.id must differ from data\.players\[0\]\.data\.id/],
      ["winner not boolean", player(1, (p) => (p.data.isWinner = "yes")), /^data\.players\[1\]\.data\.isWinner must be a boolean$/],
      ["player id too long", player(0, (p) => (p.data.id = "x".repeat(201))), /^data\.players\[0\]\.data\.id is too long \(at most 200 characters\)$/],
      ["no game id", (d) => delete (d as Partial<GameData>).gameId, /^data\.gameId is required$/],
      ["numeric game id", (d) => ((d as Record<string, unknown>).gameId = 5), /^data\.gameId must be a string$/],
      ["game id too long", (d) => (d.gameId = "g".repeat(201)), /^data\.gameId is too long/],
      ["bad startedAt", (d) => (d.startedAt = "yesterday"), /^data\.startedAt must be an ISO 8601 timestamp/],
      ["timestamp without zone", (d) => (d.finishedAt = "2026-01-21T16:29:20"), /^data\.finishedAt must be an ISO 8601 timestamp/],
      ["finished before started", (d) => (d.finishedAt = "2026-01-21T16:00:00Z"), /^data\.finishedAt must not be before data\.startedAt$/],
      ["no format", (d) => delete d.format, /^data\.format is required$/],
      ["format too long", (d) => (d.format = "f".repeat(51)), /^data\.format is too long \(at most 50 characters\)$/],
      ["sequence 4", (d) => (d.sequenceNumber = 4), /^data\.sequenceNumber must be at most 3$/],
      ["sequence 0", (d) => (d.sequenceNumber = 0), /^data\.sequenceNumber must be at least 1$/],
      ["negative round", (d) => (d.roundNumber = -1), /^data\.roundNumber must be at least 0$/],
      ["fractional round", (d) => (d.roundNumber = 1.5), /^data\.roundNumber must be an integer$/],
      ["negative count", metrics(0, (m) => (m.drawn = -1)), /^data\.players\[0\]\.cardMetrics\["0400955141"\]\.drawn must be at least 0$/],
      ["fractional count", metrics(1, (m) => (m.played = 0.5)), /^data\.players\[1\]\.cardMetrics\["0450346170"\]\.played must be an integer$/],
      ["count as text", metrics(0, (m) => (m.resourced = "1")), /\.resourced must be a number$/],
      ["huge count", metrics(0, (m) => (m.activated = 1e12)), /\.activated must be at most 1000000$/],
      ["metrics not an object", player(0, (p) => (p.cardMetrics = [] as unknown as Record<string, unknown>)), /^data\.players\[0\]\.cardMetrics must be a record$/],
      ["301 cards", player(0, (p) => (p.cardMetrics = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`c${i}`, {}])))), /^data\.players\[0\]\.cardMetrics must have at most 300 cards$/],
      ["card id too long", player(1, (p) => (p.cardMetrics["c".repeat(201)] = {})), /^data\.players\[1\]\.cardMetrics has a card id that is empty or longer than 200 characters$/],
    ];
    for (const [name, change, message] of cases) {
      const data = game([null, null]);
      change(data);
      const res = await send(data);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(res.status, name).toBe(400);
      expect(body.error, name).toBe("invalid_request");
      expect(body.error_description, name).toMatch(message);
    }
    const top = async (body: unknown, message: RegExp) => {
      const res = await postJson(t, "/api/integration/karabast/game-result", body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_description: string }).error_description).toMatch(message);
    };
    const creds = { client_id: partner.clientId, client_secret: partner.secret };
    await top({ ...creds, integration: "karabast" }, /^data is required$/);
    await top({ ...creds, data: "a game" }, /^data must be an object$/);
    await top({ ...creds, data: game([null, null]), integration: "other" }, /integration must be "karabast"/);
    const raw = await t.app.request("/api/integration/karabast/game-result", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(raw.status).toBe(400);
    const [stored] = await query<{ n: number }>(sql`select count(*)::int as n from game where length(game_id) > 200`);
    expect(stored!.n).toBe(0);
  });

  it("refuses wrong credentials with 401 and bodies over 256 kB with 413", async () => {
    const data = game([null, null]);
    for (const body of [
      { integration: "karabast", client_id: partner.clientId, client_secret: "wrong", data },
      { integration: "karabast", client_id: "nobody", client_secret: partner.secret, data },
      { integration: "karabast", data },
    ]) {
      const res = await postJson(t, "/api/integration/karabast/game-result", body);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
    }
    const big = game([null, null], { padding: "x".repeat(256 * 1024) });
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe("payload_too_large");
    // Just under the limit is fine.
    const fits = game([null, null], { padding: "x".repeat(240 * 1024) });
    expect((await send(fits)).status).toBe(200);
  });

  it("answers any JSON with 200 or 400, never 500", async () => {
    const base = game([null, null]);
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.constantFrom("data", "gameId", "players", "startedAt", "roundNumber", "cardMetrics", "deck"), async (value, where) => {
        const data = structuredClone(base);
        data.gameId = `fuzz-${++games}`;
        if (where === "data") {
          expect((await send(value)).status).toBe(400);
          return;
        }
        if (where === "cardMetrics" || where === "deck") (data.players[0] as Record<string, unknown>)[where === "deck" ? "data" : where] = value;
        else (data as Record<string, unknown>)[where] = value;
        expect([200, 400]).toContain((await send(data)).status);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the game-result route's shortcut past zod (readWellFormed)", () => {
  /** What ingestion reads of a parsed result (the schema's output keeps unknown members too). */
  const used = (d: GameResult) => ({
    gameId: d.gameId,
    lobbyId: d.lobbyId ?? null,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    roundNumber: d.roundNumber ?? null,
    sequenceNumber: d.sequenceNumber,
    format: d.format,
    players: d.players.map((p) => ({
      data: {
        id: p.data.id,
        accessToken: p.data.accessToken ?? null,
        leader: p.data.leader,
        base: p.data.base,
        deck: { id: p.data.deck.id, name: p.data.deck.name ?? null, deckSource: p.data.deck.deckSource ?? null },
        isWinner: p.data.isWinner,
      },
      cards: Object.keys(p.cardMetrics).map((id) => {
        const m = p.cardMetrics[id]!;
        return [id, m.played, m.resourced, m.activated, m.drawn, m.discarded];
      }),
    })),
  });

  it("takes the example payload", () => {
    const quick = readWellFormed({ integration: "karabast", data: structuredClone(EXAMPLE) });
    expect(quick).not.toBeNull();
    expect(used(quick!.data)).toEqual(used(GameResultRequest.parse({ integration: "karabast", data: structuredClone(EXAMPLE) }).data));
  });

  it("accepts only what the schema accepts, and reads the same values", () => {
    const card = Object.keys(EXAMPLE.players[0]!.cardMetrics)[0]!;
    const paths: (string | number)[][] = [
      ["gameId"], ["lobbyId"], ["startedAt"], ["finishedAt"], ["roundNumber"], ["sequenceNumber"], ["format"], ["players"], ["players", 1],
      ["players", 0, "data"], ["players", 1, "data", "id"], ["players", 0, "data", "accessToken"], ["players", 0, "data", "leader"],
      ["players", 1, "data", "base"], ["players", 0, "data", "deck"], ["players", 0, "data", "deck", "id"], ["players", 1, "data", "deck", "name"],
      ["players", 0, "data", "deck", "deckSource"], ["players", 1, "data", "isWinner"], ["players", 0, "cardMetrics"],
      ["players", 0, "cardMetrics", card], ["players", 0, "cardMetrics", card, "played"], ["players", 0, "cardMetrics", card, "discarded"],
      ["players", 1, "cardMetrics", ""], ["players", 1, "cardMetrics", "c".repeat(201)], ["players", 1, "cardMetrics", "__proto__"],
    ];
    const edge = fc.constantFrom<unknown>(
      undefined, null, "", "x", ...[50, 100, 200, 500, 1000].flatMap((n) => ["x".repeat(n), "x".repeat(n + 1)]), 0, -1, 1, 1.5, 2, 3, 4, 1_000_000, 1_000_001, true, false, [], {}, [1, 2],
      "2026-01-21T16:28:42.574Z", "2026-01-21T16:28:42+02:00", "2026-01-21T16:28:42", "2026-01-21", "2026-13-01T00:00:00Z",
      { played: 1, resourced: 0, activated: 0, drawn: 1, discarded: 0 }, { played: 1 },
    );
    const value = fc.oneof({ arbitrary: edge, weight: 8 }, { arbitrary: fc.anything(), weight: 1 }, { arbitrary: fc.string({ maxLength: 210 }), weight: 1 });
    const mutation = fc.tuple(fc.constantFrom(...paths), value, fc.boolean());
    let taken = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 2 }), fc.constantFrom(undefined, "karabast", 5), (mutations, integration) => {
        const data = structuredClone(EXAMPLE) as unknown as Record<string | number, unknown>;
        for (const [path, value, remove] of mutations) {
          let at: unknown = data;
          for (const key of path.slice(0, -1)) at = typeof at === "object" && at !== null ? (at as Record<string | number, unknown>)[key] : undefined;
          const last = path[path.length - 1]!;
          // (A card id such as "3232845719" on a list that replaced cardMetrics would make it sparse and billions long.)
          if (typeof at !== "object" || at === null || (Array.isArray(at) && typeof last !== "number")) continue;
          if (remove) delete (at as Record<string | number, unknown>)[last];
          // An own member even for "__proto__", as JSON.parse makes it; a copy, as generated values are shared between runs.
          else Object.defineProperty(at, last, { value: value === undefined ? value : (JSON.parse(JSON.stringify(value) ?? "null") as unknown), enumerable: true, writable: true, configurable: true });
        }
        // What a request body can carry: JSON (no undefined, no -0, no functions).
        const json = JSON.parse(JSON.stringify({ integration, data }) ?? "{}") as { integration?: unknown; data?: unknown };
        const quick = readWellFormed({ integration: json.integration, data: json.data });
        if (!quick) return;
        taken++;
        const schema = GameResultRequest.safeParse(JSON.parse(JSON.stringify(json)));
        expect(schema.success).toBe(true);
        expect(quick.integration).toBe(schema.data!.integration);
        expect(used(quick.data)).toEqual(used(schema.data!.data));
      }),
      { numRuns: 10_000 },
    );
    // The generator must reach the shortcut often enough to mean something.
    expect(taken).toBeGreaterThan(1000);
  });
});
