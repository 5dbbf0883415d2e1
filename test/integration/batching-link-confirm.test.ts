/**
 * Group commit of link confirmations (src/repositories/batching): random concurrent
 * confirmations — the same link token more than once, pending links of different Swubase users
 * for one partner account and of one user replacing their older link (so that one confirmation
 * replaces what another activates), expired link tokens, tokens already exchanged (inside and
 * after the retry window, on both doors), another client's token, wrong external users, redirect
 * URIs and PKCE verifiers — sent through the batching repository get, request by request, the
 * answer the unbatched service gives when the same requests run one by one in some order, and
 * leave the same links and audit events. The order is searched depth first on a second database,
 * in a transaction with a savepoint per step.
 */
import { createHash, randomBytes } from "node:crypto";
import { inArray, sql, TransactionRollbackError } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { user, userIntegration } from "../../src/db/schema.js";
import { createAuditLog } from "../../src/domain/audit/audit-log.js";
import { OAuthError } from "../../src/domain/errors.js";
import { createTokenService, type TokenService } from "../../src/domain/tokens/token-service.js";
import { generateToken, newTokenLocator, type TokenVault } from "../../src/domain/tokens/token-vault.js";
import { auditRepository } from "../../src/repositories/audit-repository.js";
import { linkRepository } from "../../src/repositories/link-repository.js";
import { rowsOf, toBuffer } from "../../src/repositories/rows.js";
import { createServices } from "../../src/services.js";
import { batchingPair, nameTokenAnswers, PARTNERS, postgresAvailable, runAllAtOnce, searchSerialOrder, type TokenAnswer } from "../support/batching.js";

const USERS = 3;
const EXTERNALS = 2;

/** A link of the run: pending (its link token not yet exchanged) or active / revoked (exchanged). */
interface LinkSpec {
  client: 0 | 1;
  user: number;
  ext: number;
  status: "pending" | "active" | "revoked";
  pkce: boolean;
  /** Pending: the link token has expired. Active or revoked: the token was exchanged over a minute ago (past the retry window). */
  stale: boolean;
}

interface Op {
  link: number;
  client: 0 | 1;
  grant: "link_token" | "authorization_code";
  /** link_token: the link's external user or another; authorization_code names none. */
  ext: "right" | "wrong";
  redirect: "right" | "wrong";
  verifier: "right" | "none" | "wrong";
}

const linkSpec: fc.Arbitrary<LinkSpec> = fc.record({
  client: fc.constantFrom<0 | 1>(0, 0, 0, 0, 1),
  user: fc.integer({ min: 0, max: USERS - 1 }),
  ext: fc.integer({ min: 0, max: EXTERNALS - 1 }),
  status: fc.constantFrom<LinkSpec["status"]>("pending", "pending", "pending", "active", "revoked"),
  pkce: fc.boolean(),
  stale: fc.boolean().map((b) => b && Math.random() < 0.3),
});

/** At most one pending and one active link per client and user, one active per client and partner account (the unique indexes). */
function admissible(specs: LinkSpec[]): LinkSpec[] {
  const taken = new Set<string>();
  return specs.filter((s) => {
    const keys = s.status === "pending" ? [`p${s.client}u${s.user}`] : s.status === "active" ? [`a${s.client}u${s.user}`, `a${s.client}e${s.ext}`] : [];
    if (keys.some((k) => taken.has(k))) return false;
    for (const k of keys) taken.add(k);
    return true;
  });
}

const op = (links: number): fc.Arbitrary<Op> =>
  fc.record({
    link: links === 0 ? fc.constant(-1) : fc.oneof({ arbitrary: fc.integer({ min: 0, max: links - 1 }), weight: 9 }, { arbitrary: fc.constant(-1), weight: 1 }),
    client: fc.constantFrom<0 | 1>(0, 0, 0, 0, 0, 1),
    grant: fc.constantFrom<Op["grant"]>("link_token", "link_token", "link_token", "authorization_code"),
    ext: fc.constantFrom<Op["ext"]>("right", "right", "right", "right", "wrong"),
    redirect: fc.constantFrom<Op["redirect"]>("right", "right", "right", "wrong"),
    verifier: fc.constantFrom<Op["verifier"]>("right", "right", "right", "right", "right", "none", "wrong"),
  });

const scenario = fc
  .array(linkSpec, { minLength: 1, maxLength: 5 })
  .map(admissible)
  .chain((links) =>
    fc.record({
      links: fc.constant(links),
      ops: fc.array(op(links.length), { minLength: 2, maxLength: 10 }),
      maxBatchSize: fc.integer({ min: 2, max: 8 }),
      maxInFlight: fc.integer({ min: 1, max: 2 }),
    }),
  );

type Answer = TokenAnswer;

const challengeOf = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

function materialise(run: number, specs: LinkSpec[], vault: TokenVault, now: Date) {
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  return specs.map((s, i) => {
    const linkToken = generateToken("link");
    const verifier = randomBytes(32).toString("base64url");
    const locator = newTokenLocator();
    const access = generateToken("access", locator);
    const refresh = generateToken("refresh", locator);
    const pending = s.status === "pending";
    const active = s.status === "active";
    const row: typeof userIntegration.$inferInsert = {
      id: `cl-${run}-${i}`,
      userId: `cu-${run}-${s.user}`,
      clientId: PARTNERS[s.client].clientId,
      integration: "karabast",
      externalUserId: `ckb-${run}-${s.ext}`,
      scopes: ["decks", "profile"],
      redirectUri: PARTNERS[s.client].redirectUris[0],
      status: s.status,
      metadata: {},
      linkTokenDigest: pending ? vault.digest(linkToken) : null,
      linkTokenCiphertext: pending ? vault.encrypt(linkToken) : null,
      linkTokenExpiresAt: pending ? (s.stale ? at(-1) : at(300)) : null,
      codeChallenge: s.pkce ? challengeOf(verifier) : null,
      usedLinkTokenDigest: pending ? null : vault.digest(linkToken),
      tokenLocator: pending ? null : locator,
      accessTokenDigest: active ? vault.digest(access) : null,
      accessTokenCiphertext: active ? vault.encrypt(access) : null,
      accessTokenExpiresAt: pending ? null : at(3000),
      refreshTokenDigest: active ? vault.digest(refresh) : null,
      refreshTokenCiphertext: active ? vault.encrypt(refresh) : null,
      refreshTokenExpiresAt: pending ? null : at(86_400),
      createdAt: at(-600),
      linkedAt: pending ? null : s.stale ? at(-3600) : at(-20),
      lastUsedAt: pending ? null : at(-20),
      revokedAt: s.status === "revoked" ? at(-10) : null,
      revokedReason: s.status === "revoked" ? "unlinked_by_user" : null,
    };
    return { spec: s, row, linkToken, verifier, locator, tokens: { access, refresh } };
  });
}
type World = ReturnType<typeof materialise>;

async function seed(db: Db, run: number, world: World) {
  await db.insert(user).values(Array.from({ length: USERS }, (_, u) => ({ id: `cu-${run}-${u}`, name: `Player ${u}`, email: `confirm-${run}-${u}@example.com` })));
  if (world.length > 0) await db.insert(userIntegration).values(world.map((l) => l.row));
}

const userAgent = (run: number, i: number) => `confirm-${run}-${i}`;

/** Each op's request, fixed for the run so that replays send the same. */
function requests(run: number, world: World, ops: Op[]) {
  return ops.map((o) => {
    const link = world[o.link];
    const linkToken = link ? link.linkToken : generateToken("link");
    // "right": the verifier the authorization request's challenge stands for, none without one.
    const verifier = o.verifier === "none" ? null : o.verifier === "wrong" ? randomBytes(32).toString("base64url") : link?.spec.pkce ? link.verifier : null;
    const externalUserId = o.grant === "authorization_code" ? null : o.ext === "right" && link ? link.row.externalUserId : `ckb-${run}-nobody`;
    const redirectUri = o.grant === "link_token" ? null : o.redirect === "right" ? PARTNERS[o.client].redirectUris[0] : "https://elsewhere.example/cb";
    return { linkToken, codeVerifier: verifier, externalUserId, redirectUri, grant: o.grant };
  });
}

async function confirm(service: TokenService, o: Op, req: ReturnType<typeof requests>[number], run: number, i: number): Promise<Answer> {
  try {
    const client = { ...PARTNERS[o.client], redirectUris: [...PARTNERS[o.client].redirectUris], scopes: [...PARTNERS[o.client].scopes] };
    return { ok: await service.consumeLinkToken({ client, ...req, context: { ip: "192.0.2.2", userAgent: userAgent(run, i) } }) };
  } catch (err) {
    if (err instanceof OAuthError) return { error: err.error };
    throw err;
  }
}

function named(world: World, order: number[], answers: Map<number, Answer>) {
  const names = new Map<string, string>();
  world.forEach((l, i) => {
    names.set(l.linkToken, `L${i}.link`);
    names.set(l.tokens.access, `L${i}.access`);
    names.set(l.tokens.refresh, `L${i}.refresh`);
    names.set(l.locator, `L${i}.locator`);
  });
  return { names, answered: nameTokenAnswers(names, order, answers) };
}

async function eventsOf(db: Db, run: number, order: number[]) {
  return rowsOf<Record<string, unknown>>(
    await db.execute(sql`select event, detail, user_id, client_id, external_user_id, link_id, ip, user_agent, at from link_event
      where user_agent in (${sql.join(order.map((i) => sql`${userAgent(run, i)}`), sql`, `)}) order by user_agent, event, link_id, detail`),
  ).map((e) => `${e.user_agent} ${e.event} ${e.detail} ${e.user_id} ${e.client_id} ${e.external_user_id} ${e.link_id} ${e.ip} ${new Date(e.at as string).toISOString()}`);
}

async function canonical(db: Db, vault: TokenVault, run: number, world: World, order: number[], answers: Map<number, Answer>) {
  const { names, answered } = named(world, order, answers);
  const byDigest = new Map<string, string>();
  for (const [token, name] of names) if (token.startsWith("swb")) byDigest.set(vault.digest(token).toString("hex"), name);
  const digestName = (v: unknown) => {
    const b = toBuffer(v as Buffer | null);
    return b ? (byDigest.get(b.toString("hex")) ?? "unknown digest") : null;
  };
  const plain = (v: string | null) => (v === null ? null : (names.get(vault.decrypt(v)) ?? "unknown token"));
  const iso = (v: Date | null) => v?.toISOString() ?? null;
  const ids = world.map((l) => l.row.id);
  const links = ids.length === 0 ? [] : await db.select().from(userIntegration).where(inArray(userIntegration.id, ids)).orderBy(userIntegration.id);
  const linkState = links.map((l) => ({
    id: l.id,
    status: l.status,
    revokedReason: l.revokedReason,
    revokedAt: iso(l.revokedAt),
    linkToken: [digestName(l.linkTokenDigest), plain(l.linkTokenCiphertext), iso(l.linkTokenExpiresAt)],
    used: digestName(l.usedLinkTokenDigest),
    locator: l.tokenLocator === null ? null : (names.get(l.tokenLocator) ?? "unknown locator"),
    access: [digestName(l.accessTokenDigest), plain(l.accessTokenCiphertext), iso(l.accessTokenExpiresAt)],
    refresh: [digestName(l.refreshTokenDigest), plain(l.refreshTokenCiphertext), iso(l.refreshTokenExpiresAt)],
    linkedAt: iso(l.linkedAt),
    lastUsedAt: iso(l.lastUsedAt),
  }));
  return { answered, linkState, events: await eventsOf(db, run, order) };
}

describe.skipIf(!postgresAvailable)("group commit of link confirmations (postgres)", () => {
  const pair = batchingPair();
  let run = 0;
  const sizes: number[] = [];


  function batchedService(maxBatchSize: number, maxInFlight: number, observe = (n: number) => void sizes.push(n)): TokenService {
    const db = pair.batched.db;
    const links = linkRepository(db, { batching: { maxBatchSize, maxInFlight, observe } });
    const audit = createAuditLog({
      repo: auditRepository(db),
      clock: pair.clock,
      onError: (err) => {
        throw err;
      },
    });
    return createTokenService({ issuer: pair.config.publicUrl, audit, links, vault: pair.serialServices.vault, tokens: pair.config.tokens, clock: pair.clock });
  }

  it("answers every confirmation and leaves the links as the unbatched service does in some serial order", async () => {
    const vault = pair.serialServices.vault;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ links: specs, ops, maxBatchSize, maxInFlight }) => {
        const r = ++run;
        const world = materialise(r, specs, vault, pair.clock());
        const sent = requests(r, world, ops);
        await seed(pair.batched.db, r, world);
        await seed(pair.serial.db, r, world);

        const service = batchedService(maxBatchSize, maxInFlight);
        const { answers, completed } = await runAllAtOnce(ops, (o, i) => confirm(service, o, sent[i]!, r, i));
        const want = await canonical(pair.batched.db, vault, r, world, completed, answers);

        let explained = false;
        let closest: unknown = null;
        await pair.serial.db
          .transaction(async (tx) => {
            const serial = createServices({ config: pair.config, db: tx as unknown as Db, clock: pair.clock }).tokens;
            const serialAnswers = new Map<number, Answer>();
            explained = await searchSerialOrder(
              tx,
              completed,
              async (i, order) => {
                const next = [...order, i];
                serialAnswers.set(i, await confirm(serial, ops[i]!, sent[i]!, r, i));
                return (
                  named(world, next, serialAnswers).answered.at(-1) === named(world, next, answers).answered.at(-1) &&
                  JSON.stringify(await eventsOf(tx as unknown as Db, r, [i])) === JSON.stringify(await eventsOf(pair.batched.db, r, [i]))
                );
              },
              async (order) => {
                const got = await canonical(tx as unknown as Db, vault, r, world, [...order], serialAnswers);
                const expected = await canonical(pair.batched.db, vault, r, world, [...order], answers);
                closest = { order, got, expected };
                return JSON.stringify(got) === JSON.stringify(expected);
              },
            );
            tx.rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof TransactionRollbackError)) throw err;
          });
        expect(explained, `no serial order explains the batch: ${JSON.stringify({ specs, ops, want, closest })}`).toBe(true);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 120_000 },
    );
    expect(sizes.filter((n) => n > 1).length).toBeGreaterThan(5);
  }, 300_000);

  it("two users confirming links for one partner account in one batch: the later waits for the next and replaces the first", async () => {
    const r = ++run;
    const vault = pair.serialServices.vault;
    const specs: LinkSpec[] = [
      { client: 0, user: 0, ext: 0, status: "pending", pkce: false, stale: false },
      { client: 0, user: 1, ext: 0, status: "pending", pkce: false, stale: false },
    ];
    const world = materialise(r, specs, vault, pair.clock());
    await seed(pair.batched.db, r, world);
    const here: number[] = [];
    const service = batchedService(8, 1, (n) => void here.push(n));
    const ops: Op[] = [-1, 0, 1].map((link) => ({ link, client: 0, grant: "link_token", ext: "right", redirect: "right", verifier: "none" }));
    const sent = requests(r, world, ops);
    // The unknown token goes alone; the two confirmations wait for it and go together.
    const answers = await Promise.all(ops.map((o, i) => confirm(service, o, sent[i]!, r, i)));
    expect(answers[0]).toEqual({ error: "invalid_grant" });
    expect(answers.slice(1).every((a) => "ok" in a)).toBe(true);
    expect(here).toEqual([1, 2, 1]);
    const rows = await pair.batched.db.select().from(userIntegration).where(inArray(userIntegration.id, world.map((l) => l.row.id))).orderBy(userIntegration.id);
    expect(rows.map((l) => [l.status, l.revokedReason])).toEqual([
      ["revoked", "replaced"],
      ["active", null],
    ]);
    expect(await eventsOf(pair.batched.db, r, [2])).toEqual([
      expect.stringMatching(/ link_confirmed null cu-\d+-1 karabast ckb-\d+-0 cl-\d+-1 /),
      expect.stringMatching(/ link_replaced another Swubase account linked this partner account.* cu-\d+-0 karabast ckb-\d+-0 cl-\d+-0 /),
    ]);
  });
});
