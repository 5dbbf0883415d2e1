/**
 * Group commit of game ingests (src/repositories/batching): random concurrent games — the same
 * game id more than once (with different contents), another client's game id, a removed client,
 * seats with live, expired, retired, forged, foreign and missing access tokens of active, revoked
 * and pre-locator links, arriving at different times so that which one touches a link's
 * `last_used_at` depends on the order — sent through the batching repository get, game by game,
 * the outcome the unbatched statement gives when the same games run one by one in some order,
 * and leave the same games, payloads, seats, card metrics and links. The order is searched depth
 * first on a second database, in a transaction with a savepoint per step.
 */
import { randomBytes } from "node:crypto";
import { inArray, sql, TransactionRollbackError } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runInQueryScope, QueryScopeClosedError, type Db, type QueryScope } from "../../src/db/database.js";
import { retiredRefreshToken, user, userIntegration } from "../../src/db/schema.js";
import { accessTokenCutoff } from "../../src/domain/tokens/access-token-leeway.js";
import { generateToken, isLocatorlessToken, newTokenLocator, tokenLocator, type TokenVault } from "../../src/domain/tokens/token-vault.js";
import { gameRepository, type InsertOutcome, type NewGame, type NewSeat } from "../../src/repositories/game-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { batchingPair, PARTNERS, postgresAvailable, runAllAtOnce, searchSerialOrder } from "../support/batching.js";

interface LinkSpec {
  client: 0 | 1;
  revoked: boolean;
  legacy: boolean;
  previousLive: boolean;
  retiredLive: boolean;
  lastUsed: "never" | "recent" | "borderline" | "old";
}

interface SeatOp {
  link: number;
  token: "current" | "previous" | "retired" | "forged" | "garbage" | "none";
  ext: "right" | "wrong";
}

interface GameOp {
  key: number;
  /** 2: a client that does not exist (removed while the request was on its way). */
  client: 0 | 1 | 2;
  /** Seconds after the run's start that the game arrives. */
  offset: number;
  seats: [SeatOp, SeatOp];
}

const linkSpec: fc.Arbitrary<LinkSpec> = fc.record({
  client: fc.constantFrom<0 | 1>(0, 0, 0, 1),
  revoked: fc.boolean().map((b) => b && Math.random() < 0.3),
  legacy: fc.boolean().map((b) => b && Math.random() < 0.3),
  previousLive: fc.boolean(),
  retiredLive: fc.boolean(),
  lastUsed: fc.constantFrom<LinkSpec["lastUsed"]>("never", "recent", "borderline", "old"),
});

const seatOp = (links: number): fc.Arbitrary<SeatOp> =>
  fc.record({
    link: fc.integer({ min: -1, max: links - 1 }),
    token: fc.constantFrom<SeatOp["token"]>("current", "current", "current", "previous", "retired", "forged", "garbage", "none"),
    ext: fc.constantFrom<SeatOp["ext"]>("right", "right", "right", "wrong"),
  });

const gameOp = (links: number): fc.Arbitrary<GameOp> =>
  fc.record({
    key: fc.integer({ min: 0, max: 3 }),
    client: fc.constantFrom<GameOp["client"]>(0, 0, 0, 0, 1, 2),
    // Games that wait for one batch arrive within a minute of each other (the request timeout
    // is 4.5 s): across the "borderline" link's minute, whether a game touches it depends on the order.
    offset: fc.constantFrom(0, 10, 25, 40, 50),
    seats: fc.tuple(seatOp(links), seatOp(links)),
  });

const scenario = fc
  .integer({ min: 1, max: 3 })
  .chain((links) =>
    fc.record({
      links: fc.array(linkSpec, { minLength: links, maxLength: links }),
      games: fc.array(gameOp(links), { minLength: 2, maxLength: 8 }),
      maxBatchSize: fc.integer({ min: 2, max: 8 }),
      maxInFlight: fc.integer({ min: 1, max: 2 }),
    }),
  );

const CLIENT_IDS = [PARTNERS[0].clientId, PARTNERS[1].clientId, "removed-client"] as const;

function materialise(run: number, specs: LinkSpec[], vault: TokenVault, start: Date) {
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  return specs.map((s, i) => {
    const locator = newTokenLocator();
    const token = () => (s.legacy ? `swba_${randomBytes(32).toString("base64url")}` : generateToken("access", locator));
    const t = { A0: token(), A1: token(), A2: token() };
    const id = `gl-${run}-${i}`;
    const live = !s.revoked;
    const row: typeof userIntegration.$inferInsert = {
      id,
      userId: `gu-${run}-${i}`,
      clientId: PARTNERS[s.client].clientId,
      integration: "karabast",
      externalUserId: `gkb-${run}-${i}`,
      scopes: ["decks"],
      redirectUri: PARTNERS[s.client].redirectUris[0],
      status: live ? "active" : "revoked",
      metadata: {},
      tokenLocator: locator,
      accessTokenDigest: live ? vault.digest(t.A0) : null,
      accessTokenExpiresAt: at(3600),
      previousAccessTokenDigest: live ? vault.digest(t.A1) : null,
      previousAccessTokenExpiresAt: s.previousLive ? at(600) : at(-7200),
      rotatedAt: at(-600),
      linkedAt: at(-86_400),
      lastUsedAt: s.lastUsed === "never" ? null : s.lastUsed === "recent" ? at(-10) : s.lastUsed === "borderline" ? at(-40) : at(-3600),
      revokedAt: live ? null : at(-60),
      revokedReason: live ? null : "unlinked_by_user",
    };
    const retired = { digest: randomBytes(32), linkId: id, retiredAt: at(-1200), accessTokenDigest: vault.digest(t.A2), accessTokenExpiresAt: s.retiredLive ? at(300) : at(-7200) };
    return { spec: s, id, locator, tokens: t, row, retired };
  });
}
type World = ReturnType<typeof materialise>;

async function seed(db: Db, run: number, world: World) {
  await db.insert(user).values(world.map((_, i) => ({ id: `gu-${run}-${i}`, name: `Player ${i}`, email: `game-batch-${run}-${i}@example.com` })));
  await db.insert(userIntegration).values(world.map((l) => l.row));
  await db.insert(retiredRefreshToken).values(world.map((l) => l.retired));
}

/** The games as the game service builds them (game-service.ts), fixed for the run so that replays send the same. */
function newGames(run: number, world: World, ops: GameOp[], vault: TokenVault, start: Date): NewGame[] {
  return ops.map((o, i) => {
    const receivedAt = new Date(start.getTime() + o.offset * 1000);
    const seat = (s: SeatOp, index: 0 | 1): NewSeat => {
      const link = world[s.link];
      const token =
        s.token === "none"
          ? null
          : s.token === "garbage"
            ? "not-a-token"
            : !link
              ? generateToken("access", newTokenLocator())
              : s.token === "current"
                ? link.tokens.A0
                : s.token === "previous"
                  ? link.tokens.A1
                  : s.token === "retired"
                    ? link.tokens.A2
                    : link.spec.legacy
                      ? `swba_${randomBytes(32).toString("base64url")}`
                      : generateToken("access", link.locator);
      const locator = token ? tokenLocator("access", token) : null;
      const usable = !!token && (locator !== null || isLocatorlessToken("access", token));
      // The route refuses one partner user id in both seats.
      const externalUserId = s.ext === "right" && link && !(index === 1 && o.seats[0].link === s.link) ? `gkb-${run}-${s.link}` : `gkb-${run}-other-${index}`;
      return {
        seat: index,
        externalUserId,
        accessTokenLocator: locator,
        accessTokenDigest: usable ? vault.digest(token) : null,
        withoutToken: token ? "invalid_token" : "no_token",
        leader: index === 0 ? "SOR_010" : "SHD_005",
        base: "SOR_020",
        deckId: `deck-${i}-${index}`,
        deckName: i % 2 ? `Deck ${i}` : null,
        deckSource: null,
        isWinner: index === 0,
        result: index === 0 ? "win" : "loss",
        cardMetrics: { SOR_001: { played: i, resourced: 1, activated: 0, drawn: 2, discarded: index } },
      };
    };
    return {
      clientId: CLIENT_IDS[o.client],
      gameId: `g-${run}-${o.key}`,
      lobbyId: i % 2 ? `lobby-${run}` : null,
      format: "premier",
      startedAt: new Date(start.getTime() - 900_000),
      finishedAt: new Date(start.getTime() - 10_000 + i),
      roundNumber: i % 3 === 0 ? null : i,
      sequenceNumber: 1 + (i % 3),
      receivedAt,
      accessTokenCutoff: accessTokenCutoff(receivedAt),
      // Which of two games with one id was stored shows in its payload.
      payload: { op: i, note: `game ${i} of run ${run}` },
      seats: [seat(o.seats[0], 0), seat(o.seats[1], 1)],
    };
  });
}

type Answer = InsertOutcome | { error: string };

async function insert(repo: ReturnType<typeof gameRepository>, game: NewGame): Promise<Answer> {
  try {
    return await repo.insertGame(game);
  } catch (err) {
    return { error: String(err) };
  }
}

/** The run's games (by client and game id: identity ids differ between the databases), their rows and the links' last use. */
async function state(db: Db, run: number, world: World) {
  const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString());
  const games = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select g.client_id, g.game_id, g.lobby_id, g.format, g.started_at, g.finished_at, g.round_number, g.sequence_number, g.received_at,
        p.payload::text as payload,
        (select json_agg(json_build_object('seat', s.seat, 'ext', s.external_user_id, 'user', s.user_id, 'link', s.link_id, 'attribution', s.attribution,
           'leader', s.leader, 'base', s.base, 'deck', s.deck_id, 'deckName', s.deck_name, 'deckSource', s.deck_source, 'winner', s.is_winner,
           'result', s.result, 'finished', s.finished_at, 'format', s.format, 'opponentLeader', s.opponent_leader, 'opponentBase', s.opponent_base) order by s.seat)
         from game_seat s where s.game_id = g.id)::text as seats,
        (select json_agg(json_build_object('seat', m.seat, 'cards', m.card_ids, 'played', m.played, 'resourced', m.resourced, 'activated', m.activated,
           'drawn', m.drawn, 'discarded', m.discarded) order by m.seat)
         from game_card_metrics m where m.game_id = g.id)::text as metrics
      from game g left join game_payload p on p.game_id = g.id
      where g.game_id like ${`g-${run}-%`} order by g.client_id, g.game_id`),
  ).map((g): Record<string, unknown> => ({ ...g, started_at: iso(g.started_at), finished_at: iso(g.finished_at), received_at: iso(g.received_at) }));
  const links = await db
    .select({ id: userIntegration.id, lastUsedAt: userIntegration.lastUsedAt })
    .from(userIntegration)
    .where(inArray(userIntegration.id, world.map((l) => l.id)))
    .orderBy(userIntegration.id);
  return { games, links: links.map((l) => ({ id: l.id, lastUsedAt: l.lastUsedAt?.toISOString() ?? null })) };
}

describe.skipIf(!postgresAvailable)("group commit of game ingests (postgres)", () => {
  const pair = batchingPair();
  let run = 0;
  const sizes: number[] = [];

  it("answers every game and stores what the unbatched statement stores in some serial order", async () => {
    const vault = pair.serialServices.vault;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ links: specs, games: ops, maxBatchSize, maxInFlight }) => {
        const r = ++run;
        const start = pair.clock();
        const world = materialise(r, specs, vault, start);
        const games = newGames(r, world, ops, vault, start);
        await seed(pair.batched.db, r, world);
        await seed(pair.serial.db, r, world);

        const repo = gameRepository(pair.batched.db, { batching: { maxBatchSize, maxInFlight, observe: (n) => sizes.push(n) } });
        const { answers, completed } = await runAllAtOnce(games, (game) => insert(repo, game));
        for (const a of answers.values()) expect(a).not.toHaveProperty("error");
        const want = await state(pair.batched.db, r, world);
        const lastUse = new Map(want.links.map((l) => [l.id, l.lastUsedAt]));

        let explained = false;
        let closest: unknown = null;
        const misses: unknown[] = [];
        await pair.serial.db
          .transaction(async (tx) => {
            const serial = gameRepository(tx as unknown as Db);
            explained = await searchSerialOrder(
              tx,
              completed,
              async (i, order) => {
                const got = await insert(serial, games[i]!);
                const same = JSON.stringify(got) === JSON.stringify(answers.get(i));
                if (!same && misses.length < 10) misses.push({ order, i, got });
                // last_used_at only moves forward: past the batched run's final value, no order from here can match.
                const ahead = same && (await state(tx as unknown as Db, r, world)).links.some((l) => l.lastUsedAt !== null && (lastUse.get(l.id) === null || l.lastUsedAt > lastUse.get(l.id)!));
                return same && !ahead;
              },
              async (order) => {
                const got = await state(tx as unknown as Db, r, world);
                closest = { order, got, want };
                return JSON.stringify(got) === JSON.stringify(want);
              },
            );
            tx.rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof TransactionRollbackError)) throw err;
          });
        expect(explained, `no serial order explains the batch: ${JSON.stringify({ specs, ops, answers: [...answers], closest, misses })}`).toBe(true);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 120_000 },
    );
    expect(sizes.filter((n) => n > 1).length).toBeGreaterThan(5);
  }, 300_000);

  it("one game the database refuses fails alone; its batch-mates are stored", async () => {
    const r = ++run;
    const start = pair.clock();
    const world = materialise(r, [{ client: 0, revoked: false, legacy: false, previousLive: true, retiredLive: true, lastUsed: "old" }], pair.serialServices.vault, start);
    await seed(pair.batched.db, r, world);
    const seat: SeatOp = { link: 0, token: "current", ext: "right" };
    const ops: GameOp[] = [0, 1, 2, 3].map((key) => ({ key, client: 0, offset: 0, seats: [seat, { link: -1, token: "none", ext: "wrong" }] }));
    const games = newGames(r, world, ops, pair.serialServices.vault, start);
    games[2] = { ...games[2]!, sequenceNumber: 40_000 }; // past smallint: the statement fails
    const sizesHere: number[] = [];
    const repo = gameRepository(pair.batched.db, { batching: { maxBatchSize: 8, maxInFlight: 1, observe: (n) => sizesHere.push(n) } });
    const answers = await Promise.allSettled(games.map((g) => repo.insertGame(g)));
    expect(sizesHere).toEqual([1, 3]);
    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(answers.filter((a) => a.status === "fulfilled").map((a) => a.value)).toEqual(Array(3).fill({ stored: true, attributions: ["linked", "no_token"] }));
    const stored = await state(pair.batched.db, r, world);
    expect(stored.games.map((g) => g.game_id as string)).toEqual([`g-${r}-0`, `g-${r}-1`, `g-${r}-3`]);
  });

  it("a game whose request timed out before its batch was sent is not stored, and its batch-mates are", async () => {
    const r = ++run;
    const start = pair.clock();
    const world = materialise(r, [{ client: 0, revoked: false, legacy: false, previousLive: true, retiredLive: true, lastUsed: "old" }], pair.serialServices.vault, start);
    await seed(pair.batched.db, r, world);
    const ops: GameOp[] = [0, 1, 2, 3].map((key) => ({ key, client: 0, offset: 0, seats: [{ link: 0, token: "current", ext: "right" }, { link: -1, token: "none", ext: "wrong" }] }));
    const games = newGames(r, world, ops, pair.serialServices.vault, start);
    const repo = gameRepository(pair.batched.db, { batching: { maxBatchSize: 8, maxInFlight: 1 } });
    const scope: QueryScope = { closed: false };
    const first = repo.insertGame(games[0]!);
    const late = runInQueryScope(scope, () => repo.insertGame(games[1]!));
    const rest = [repo.insertGame(games[2]!), repo.insertGame(games[3]!)];
    scope.closed = true; // the request timeout fired while the first statement was running
    await expect(late).rejects.toBeInstanceOf(QueryScopeClosedError);
    expect(await Promise.all([first, ...rest])).toEqual(Array(3).fill({ stored: true, attributions: ["linked", "no_token"] }));
    const stored = await state(pair.batched.db, r, world);
    expect(stored.games.map((g) => g.game_id as string)).toEqual([`g-${r}-0`, `g-${r}-2`, `g-${r}-3`]);
  });
});
