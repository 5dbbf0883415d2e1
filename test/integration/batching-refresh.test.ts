/**
 * Group commit of refresh rotations (src/repositories/batching): random concurrent refreshes —
 * the same token presented twice or more, previous tokens inside and outside the grace window,
 * retired (reused) tokens, expired ones, tokens of revoked links, another client's or another
 * external user's tokens, scopes beyond the grant, tokens from before locators, garbage — sent
 * through the batching repository get, request by request, the answer the unbatched service
 * gives when the same requests run one by one in some order, and leave the same links, retired
 * tokens and audit events. Requests on different links never interact, so the order is searched
 * link by link, on a second database where each candidate order is replayed from the same state.
 */
import { randomBytes } from "node:crypto";
import { inArray, sql, TransactionRollbackError } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { retiredRefreshToken, user, userIntegration } from "../../src/db/schema.js";
import { createAuditLog } from "../../src/domain/audit/audit-log.js";
import { OAuthError } from "../../src/domain/errors.js";
import { createTokenService, type TokenService } from "../../src/domain/tokens/token-service.js";
import { generateToken, newTokenLocator, type TokenVault } from "../../src/domain/tokens/token-vault.js";
import { auditRepository } from "../../src/repositories/audit-repository.js";
import { linkRepository } from "../../src/repositories/link-repository.js";
import { rowsOf, toBuffer } from "../../src/repositories/rows.js";
import { createServices } from "../../src/services.js";
import { batchingPair, nameTokenAnswers, PARTNERS, postgresAvailable, runAllAtOnce, searchSerialOrder, type TokenAnswer } from "../support/batching.js";

interface LinkSpec {
  client: 0 | 1;
  revoked: boolean;
  currentExpired: boolean;
  previousInGrace: boolean;
  /** Tokens from before locators (found through the external user). */
  legacy: boolean;
  scopes: string[];
}

interface Op {
  /** The link whose token is presented; -1: a token that is nobody's. */
  link: number;
  token: "current" | "previous" | "retired" | "forged";
  client: 0 | 1;
  ext: "right" | "wrong" | "none";
  scope: string[] | null;
}

const linkSpec: fc.Arbitrary<LinkSpec> = fc.record({
  client: fc.constantFrom<0 | 1>(0, 0, 0, 1),
  revoked: fc.boolean().map((b) => b && Math.random() < 0.3),
  currentExpired: fc.boolean().map((b) => b && Math.random() < 0.3),
  previousInGrace: fc.boolean(),
  legacy: fc.boolean().map((b) => b && Math.random() < 0.3),
  scopes: fc.constantFrom(["decks", "profile"], ["decks", "email", "profile", "teams"]),
});

const op = (links: number): fc.Arbitrary<Op> =>
  fc.record({
    link: fc.oneof({ arbitrary: fc.integer({ min: 0, max: links - 1 }), weight: 9 }, { arbitrary: fc.constant(-1), weight: 1 }),
    // Mostly the tokens that race: the current one (duplicates) and the previous one.
    token: fc.constantFrom<Op["token"]>("current", "current", "current", "previous", "previous", "retired", "forged"),
    client: fc.constantFrom<0 | 1>(0, 0, 0, 0, 0, 0, 1),
    ext: fc.constantFrom<Op["ext"]>("right", "right", "right", "none", "wrong"),
    scope: fc.constantFrom(null, null, null, ["decks"], ["decks", "teams"]),
  });

const scenario = fc
  .integer({ min: 1, max: 3 })
  .chain((links) =>
    fc.record({
      links: fc.array(linkSpec, { minLength: links, maxLength: links }),
      ops: fc.array(op(links), { minLength: 2, maxLength: 10 }),
      maxBatchSize: fc.integer({ min: 2, max: 8 }),
      maxInFlight: fc.integer({ min: 1, max: 2 }),
    }),
  );

type Answer = TokenAnswer;

const legacyToken = (kind: "access" | "refresh") => `${kind === "access" ? "swba_" : "swbr_"}${randomBytes(32).toString("base64url")}`;

/** One run's links as rows, with the token strings the requests present. */
function materialise(run: number, specs: LinkSpec[], vault: TokenVault, now: Date) {
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  return specs.map((s, i) => {
    const locator = newTokenLocator();
    const token = (kind: "access" | "refresh") => (s.legacy ? legacyToken(kind) : generateToken(kind, locator));
    const t = { R0: token("refresh"), A0: token("access"), R1: token("refresh"), A1: token("access"), R2: token("refresh"), A2: token("access") };
    const id = `lk-${run}-${i}`;
    const live = !s.revoked;
    const row: typeof userIntegration.$inferInsert = {
      id,
      userId: `u-${run}-${i}`,
      clientId: PARTNERS[s.client].clientId,
      integration: "karabast",
      externalUserId: `kb-${run}-${i}`,
      scopes: s.scopes,
      redirectUri: PARTNERS[s.client].redirectUris[0],
      status: live ? "active" : "revoked",
      metadata: {},
      tokenLocator: locator,
      accessTokenDigest: live ? vault.digest(t.A0) : null,
      accessTokenCiphertext: live ? vault.encrypt(t.A0) : null,
      accessTokenExpiresAt: at(3600),
      previousAccessTokenDigest: live ? vault.digest(t.A1) : null,
      previousAccessTokenExpiresAt: live ? at(1800) : null,
      refreshTokenDigest: live ? vault.digest(t.R0) : null,
      refreshTokenCiphertext: live ? vault.encrypt(t.R0) : null,
      refreshTokenExpiresAt: s.currentExpired ? at(-1) : at(30 * 86_400),
      previousRefreshTokenDigest: live ? vault.digest(t.R1) : null,
      rotatedAt: s.previousInGrace ? at(-10) : at(-3600),
      createdAt: at(-2 * 86_400),
      linkedAt: at(-2 * 86_400),
      lastUsedAt: at(-3600),
      revokedAt: live ? null : at(-600),
      revokedReason: live ? null : "unlinked_by_user",
    };
    // Every rotation retires the token it replaced: the previous one (R1) and an older one (R2).
    const retired = [
      { digest: vault.digest(t.R2), linkId: id, retiredAt: at(-7200), accessTokenDigest: vault.digest(t.A2), accessTokenExpiresAt: at(600) },
      { digest: vault.digest(t.R1), linkId: id, retiredAt: row.rotatedAt!, accessTokenDigest: vault.digest(t.A1), accessTokenExpiresAt: at(1800) },
    ];
    return { spec: s, id, locator, tokens: t, row, retired };
  });
}
type World = ReturnType<typeof materialise>;

async function seed(db: Db, run: number, world: World) {
  await db.insert(user).values(world.map((_, i) => ({ id: `u-${run}-${i}`, name: `Player ${i}`, email: `batch-${run}-${i}@example.com` })));
  await db.insert(userIntegration).values(world.map((l) => l.row));
  await db.insert(retiredRefreshToken).values(world.flatMap((l) => l.retired));
}

const userAgent = (run: number, i: number) => `op-${run}-${i}`;

function presented(world: World, o: Op, run: number) {
  const link = world[o.link];
  const refreshToken = !link
    ? "swbr_" + "x".repeat(59)
    : o.token === "current"
      ? link.tokens.R0
      : o.token === "previous"
        ? link.tokens.R1
        : o.token === "retired"
          ? link.tokens.R2
          : link.spec.legacy
            ? legacyToken("refresh")
            : generateToken("refresh", link.locator);
  const externalUserId = o.ext === "none" ? null : o.ext === "wrong" ? `kb-${run}-nobody` : `kb-${run}-${Math.max(o.link, 0)}`;
  return { refreshToken, externalUserId };
}

/** Each op's token string, fixed for the run so that replays present the same ones. */
function presentations(world: World, ops: Op[], run: number) {
  return ops.map((o) => presented(world, o, run));
}

async function present(service: TokenService, o: Op, p: ReturnType<typeof presented>, run: number, i: number): Promise<Answer> {
  try {
    const client = { ...PARTNERS[o.client], redirectUris: [...PARTNERS[o.client].redirectUris], scopes: [...PARTNERS[o.client].scopes] };
    return { ok: await service.rotateRefreshToken({ client, ...p, scope: o.scope, context: { ip: "192.0.2.1", userAgent: userAgent(run, i) } }) };
  } catch (err) {
    if (err instanceof OAuthError) return { error: `${err.error}` };
    throw err;
  }
}

/**
 * What the requests of `order` got and left behind, with every token named by where it came
 * from (the seeded ones by name, new ones by the first request in `order` that received them).
 */
function named(world: World, order: number[], answers: Map<number, Answer>) {
  const names = new Map<string, string>();
  world.forEach((l, i) => {
    for (const [k, v] of Object.entries(l.tokens)) names.set(v, `L${i}.${k}`);
    names.set(l.locator, `L${i}.locator`);
  });
  return { names, answered: nameTokenAnswers(names, order, answers) };
}

async function canonical(db: Db, vault: TokenVault, run: number, world: World, linkIds: string[], order: number[], answers: Map<number, Answer>) {
  const { names, answered } = named(world, order, answers);
  const byDigest = new Map<string, string>();
  for (const [token, name] of names) if (token.startsWith("swb")) byDigest.set(vault.digest(token).toString("hex"), name);
  const digestName = (v: unknown) => {
    const b = toBuffer(v as Buffer | null);
    return b ? (byDigest.get(b.toString("hex")) ?? `unknown digest`) : null;
  };
  const plain = (v: string | null) => (v === null ? null : (names.get(vault.decrypt(v)) ?? "unknown token"));
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

  const links = linkIds.length === 0 ? [] : await db.select().from(userIntegration).where(inArray(userIntegration.id, linkIds)).orderBy(userIntegration.id);
  const linkState = links.map((l) => ({
    id: l.id,
    status: l.status,
    revokedReason: l.revokedReason,
    revokedAt: iso(l.revokedAt),
    locator: l.tokenLocator === null ? null : (names.get(l.tokenLocator) ?? "unknown locator"),
    access: [digestName(l.accessTokenDigest), plain(l.accessTokenCiphertext), iso(l.accessTokenExpiresAt)],
    previousAccess: [digestName(l.previousAccessTokenDigest), iso(l.previousAccessTokenExpiresAt)],
    refresh: [digestName(l.refreshTokenDigest), plain(l.refreshTokenCiphertext), iso(l.refreshTokenExpiresAt)],
    previousRefresh: digestName(l.previousRefreshTokenDigest),
    rotatedAt: iso(l.rotatedAt),
    lastUsedAt: iso(l.lastUsedAt),
  }));
  const retired = linkIds.length === 0 ? [] : await db.select().from(retiredRefreshToken).where(inArray(retiredRefreshToken.linkId, linkIds));
  const retiredState = retired
    .map((r) => `${r.linkId} ${digestName(r.digest)} ${iso(r.retiredAt)} ${digestName(r.accessTokenDigest)} ${iso(r.accessTokenExpiresAt)}`)
    .sort();
  const events = await eventsOf(db, run, order);
  return { answered, linkState, retiredState, events };
}

/** The audit events the requests of `order` caused (each request has its own user agent). */
async function eventsOf(db: Db, run: number, order: number[]) {
  const iso = (v: unknown) => new Date(v as string).toISOString();
  return rowsOf<Record<string, unknown>>(
    await db.execute(sql`select event, detail, user_id, client_id, external_user_id, link_id, ip, user_agent, at from link_event
      where user_agent in (${sql.join(order.map((i) => sql`${userAgent(run, i)}`), sql`, `)}) order by user_agent, event, detail`),
  ).map((e) => `${e.user_agent} ${e.event} ${e.detail} ${e.user_id} ${e.client_id} ${e.external_user_id} ${e.link_id} ${e.ip} ${iso(e.at)}`);
}

describe.skipIf(!postgresAvailable)("group commit of refresh rotations (postgres)", () => {
  const pair = batchingPair();
  let run = 0;
  const sizes: number[] = [];

  function batchedService(maxBatchSize: number, maxInFlight: number): TokenService {
    const db = pair.batched.db;
    const links = linkRepository(db, { batching: { maxBatchSize, maxInFlight, observe: (n) => sizes.push(n) } });
    const audit = createAuditLog({ repo: auditRepository(db), clock: pair.clock, onError: (err) => { throw err; } });
    const vault = pair.serialServices.vault;
    return createTokenService({ issuer: pair.config.publicUrl, audit, links, vault, tokens: pair.config.tokens, clock: pair.clock });
  }

  it("answers every request and leaves the database as the unbatched service does in some serial order", async () => {
    const vault = pair.serialServices.vault;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ links: specs, ops, maxBatchSize, maxInFlight }) => {
        const r = ++run;
        const now = pair.clock();
        const world = materialise(r, specs, vault, now);
        const shown = presentations(world, ops, r);
        await seed(pair.batched.db, r, world);
        await seed(pair.serial.db, r, world);

        // Batched: all at once; the completion order is the first serial order tried.
        const service = batchedService(maxBatchSize, maxInFlight);
        const { answers, completed } = await runAllAtOnce(ops, (o, i) => present(service, o, shown[i]!, r, i));

        // Link by link: a serial order of that link's requests that gives the same answers and
        // state, searched depth first on the serial database inside a transaction (a savepoint per
        // step, rolled back on a mismatch; everything rolled back at the end).
        const groups = new Map<number, number[]>();
        for (const i of completed) groups.set(ops[i]!.link, [...(groups.get(ops[i]!.link) ?? []), i]);
        for (const [link, members] of groups) {
          const linkIds = link >= 0 ? [world[link]!.id] : [];
          let explained: number[] | null = null;
          let closest: unknown = null;
          await pair.serial.db
            .transaction(async (tx) => {
              const serial = createServices({ config: pair.config, db: tx as unknown as Db, clock: pair.clock }).tokens;
              const serialAnswers = new Map<number, Answer>();
              const found = await searchSerialOrder(
                tx,
                members,
                async (i, order) => {
                  const next = [...order, i];
                  serialAnswers.set(i, await present(serial, ops[i]!, shown[i]!, r, i));
                  return (
                    named(world, next, serialAnswers).answered.at(-1) === named(world, next, answers).answered.at(-1) &&
                    JSON.stringify(await eventsOf(tx as unknown as Db, r, [i])) === JSON.stringify(await eventsOf(pair.batched.db, r, [i]))
                  );
                },
                async (order) => {
                  const got = await canonical(tx as unknown as Db, vault, r, world, linkIds, [...order], serialAnswers);
                  const want = await canonical(pair.batched.db, vault, r, world, linkIds, [...order], answers);
                  closest = { order, serial: got, batched: want };
                  return JSON.stringify(got) === JSON.stringify(want);
                },
              );
              if (found) explained = [];
              tx.rollback();
            })
            .catch((err: unknown) => {
              if (!(err instanceof TransactionRollbackError)) throw err;
            });
          expect(explained, `no serial order explains link ${link}: ${JSON.stringify({ specs, ops, closest }, null, 1)}`).not.toBeNull();
        }
      }),
      { numRuns: 60, interruptAfterTimeLimit: 120_000 },
    );
    // The property ran batches, not only requests that went alone.
    expect(sizes.filter((n) => n > 1).length).toBeGreaterThan(5);
  }, 300_000);
});
