/**
 * Issue 15: several instances on one PostgreSQL database (and one Redis, when the rate limits keep
 * their counters there). Two real server processes (src/main.ts, NODE_ENV=production) start at
 * the same moment on a fresh database, then a user and a partner spread their calls over both:
 * an approval on one and its confirm on the other; the refresh grace and reuse rules across them;
 * one game sent to both at once stored once; the per-address failure budget shared (16 bad client
 * secrets alternating between them are refused once 10 failed in all, though neither instance saw
 * 10). The instances' metrics (GET /metrics) are summed to check what each counted.
 *
 * Needs TEST_DATABASE_URL; runs once with the counters in the database and once in Redis when
 * TEST_REDIS_URL (or REDIS_URL) is set, under a key prefix of its own, deleted afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, databaseKinds } from "../support/databases.js";
import { karabastGameResultBody } from "../support/karabast-report.js";
import { REDIRECT_URI, type TokenBody } from "../support/link-helpers.js";
import { parseMetrics, sampleValue } from "../support/metrics.js";
import { deleteRedisKeys, TEST_REDIS_URL, uniqueRedisPrefix, type LimiterStore } from "../support/redis.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";

const HAS_POSTGRES = databaseKinds.includes("postgres");
if (!HAS_POSTGRES)
  console.warn("TEST_DATABASE_URL is not set: skipping the two-instance tests (test/integration/instances.test.ts), which need one PostgreSQL database for both processes");

const stores: LimiterStore[] = TEST_REDIS_URL ? ["database", "redis"] : ["database"];
const PUBLIC_URL = "http://swubase.test";
const hex = () => randomBytes(32).toString("hex");
const PARTNER = { clientId: "karabast", secret: `swbs_${randomBytes(32).toString("base64url")}` };
const METRICS_TOKEN = randomBytes(32).toString("base64url");

describe.skipIf(!HAS_POSTGRES).each(stores)("two instances on one database (rate-limit counters in the %s)", (store) => {
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: postgres.Sql;
  let a: ServerProcess;
  let b: ServerProcess;
  const redisPrefix = uniqueRedisPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "swl-instances-"));
  let users = 0;

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    const env: Record<string, string> = {
      NODE_ENV: "production",
      PUBLIC_URL,
      ALLOW_INSECURE_PUBLIC_URL: "1",
      DATABASE_URL: pg.url,
      DATA_DIR: dataDir,
      AUTH_SECRET: hex(),
      TOKEN_ENCRYPTION_KEY: hex(),
      TOKEN_HASH_KEY: hex(),
      KARABAST_CLIENT_ID: PARTNER.clientId,
      KARABAST_CLIENT_SECRET: PARTNER.secret,
      KARABAST_REDIRECT_URIS: REDIRECT_URI,
      METRICS_TOKEN,
      LOG_LEVEL: "info",
      ...(store === "redis" ? { REDIS_URL: TEST_REDIS_URL!, REDIS_KEY_PREFIX: redisPrefix } : {}),
    };
    // At the same moment, on a database without tables: both apply migrations and register the partner.
    const started = await Promise.allSettled([startServerProcess(env, { name: "instance A" }), startServerProcess(env, { name: "instance B" })]);
    const [first, second] = started.map((r) => (r.status === "fulfilled" ? r.value : undefined));
    [a, b] = [first!, second!]; // stopped by afterAll even when the other failed to start
    for (const r of started) if (r.status === "rejected") throw r.reason;
  });

  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]); // before the database is dropped
    await sql?.end();
    await pg?.drop();
    if (store === "redis") await deleteRedisKeys(TEST_REDIS_URL!, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
    if (a && b) expect(codes).toEqual([0, 0]); // both stopped cleanly on SIGTERM
  });

  const post = (server: ServerProcess, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const partnerCall = (server: ServerProcess, path: string, body: Record<string, unknown>) =>
    post(server, path, { client_id: PARTNER.clientId, client_secret: PARTNER.secret, integration: "karabast", ...body });
  const refresh = (server: ServerProcess, refreshToken: string, externalUserId: string) =>
    partnerCall(server, "/api/integration/refresh-token", { refresh_token: refreshToken, external_user_id: externalUserId });

  async function signUp(server: ServerProcess): Promise<string> {
    const res = await post(server, "/api/auth/sign-up/email", { email: `user${++users}@example.com`, password: "correct horse battery", name: "Player" }, { origin: PUBLIC_URL });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
  }

  async function approve(server: ServerProcess, cookie: string, externalUserId: string): Promise<string> {
    const res = await post(
      server,
      "/api/integration/link-create",
      { clientId: PARTNER.clientId, externalUserId, scopes: "decks email profile teams", integration: "karabast", metadata: {} },
      { cookie, origin: PUBLIC_URL },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { linkToken: string }).linkToken;
  }

  async function confirm(server: ServerProcess, linkToken: string, externalUserId: string): Promise<TokenBody> {
    const res = await partnerCall(server, "/api/integration/link-confirm", { link_token: linkToken, external_user_id: externalUserId });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as TokenBody;
  }

  async function linksOf(server: ServerProcess, cookie: string): Promise<{ externalUserId: string; status: string }[]> {
    const res = await fetch(`${server.url}/api/me/links`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { links: { externalUserId: string; status: string }[] }).links;
  }

  /** A metric summed over both instances. */
  async function total(name: string, labels: Record<string, string> = {}): Promise<number> {
    let sum = 0;
    for (const server of [a, b]) {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      sum += sampleValue(parseMetrics(await res.text()), name, labels);
    }
    return sum;
  }

  it("both started on the fresh database, one after the other's migrations", async () => {
    for (const server of [a, b]) expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
    const [applied] = await sql<{ n: number; distinct: number }[]>`select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`;
    expect(applied!.n).toBe(applied!.distinct); // each migration applied once
  });

  it("an approval on one instance, its confirm on the other; the session works on both", async () => {
    const cookie = await signUp(a);
    expect(await linksOf(b, cookie)).toEqual([]);
    const linkToken = await approve(a, cookie, "kb-across");
    const tokens = await confirm(b, linkToken, "kb-across");
    expect(tokens.refresh_token).toMatch(/^swbr_/);
    // The callback loaded again lands on the other instance: the same pair; for anyone else the link token is spent.
    expect((await confirm(a, linkToken, "kb-across")).refresh_token).toBe(tokens.refresh_token);
    const other = await partnerCall(a, "/api/integration/link-confirm", { link_token: linkToken, external_user_id: "kb-other" });
    expect(other.status).toBe(400);
    expect(await linksOf(b, cookie)).toMatchObject([{ externalUserId: "kb-across", status: "active" }]);
  });

  it("refresh across instances: concurrent refreshes get one pair, the grace answer holds on the other, a replay after the successor was used revokes", async () => {
    const before = {
      rotations: await total("swubase_refresh_rotations_total"),
      grace: await total("swubase_refresh_grace_answers_total"),
      reuse: await total("swubase_token_reuse_detections_total", { kind: "refresh_token" }),
    };
    const cookie = await signUp(b);
    const first = await confirm(a, await approve(b, cookie, "kb-refresh"), "kb-refresh");

    // The deployed client's game servers refresh the same token at once, through different instances.
    const [viaA, viaB] = await Promise.all([refresh(a, first.refresh_token, "kb-refresh"), refresh(b, first.refresh_token, "kb-refresh")]);
    expect([viaA.status, viaB.status]).toEqual([200, 200]);
    const [pairA, pairB] = [(await viaA.json()) as TokenBody, (await viaB.json()) as TokenBody];
    expect(pairA.refresh_token).toBe(pairB.refresh_token);
    expect(pairA.access_token).toBe(pairB.access_token);
    const second = pairA;

    // Within the grace window, on the other instance again: the same current pair.
    const retry = await refresh(b, first.refresh_token, "kb-refresh");
    expect(((await retry.json()) as TokenBody).refresh_token).toBe(second.refresh_token);

    // The successor is used (on A): the first token is now a replay, wherever it is presented.
    const third = (await (await refresh(a, second.refresh_token, "kb-refresh")).json()) as TokenBody;
    const replay = await refresh(b, first.refresh_token, "kb-refresh");
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    // The link is revoked for both instances.
    expect((await refresh(a, third.refresh_token, "kb-refresh")).status).toBe(400);
    expect(await linksOf(a, cookie)).toMatchObject([{ status: "revoked" }]);

    expect(await total("swubase_refresh_rotations_total")).toBe(before.rotations + 2);
    expect(await total("swubase_refresh_grace_answers_total")).toBe(before.grace + 2);
    expect(await total("swubase_token_reuse_detections_total", { kind: "refresh_token" })).toBe(before.reuse + 1);
  });

  it("one game sent to both instances at once is stored once", async () => {
    const before = { ingested: await total("swubase_games_ingested_total"), duplicate: await total("swubase_games_duplicate_total") };
    const cookie = await signUp(a);
    const player = await confirm(b, await approve(a, cookie, "kb-player"), "kb-player");
    const gameId = `game-${randomBytes(6).toString("hex")}`;
    const body = karabastGameResultBody(PARTNER, {
      gameId,
      lobbyId: "lobby-1",
      winners: ["kb-player"],
      players: [
        { id: "kb-player", accessToken: player.access_token, deckLeader: { id: "SOR_005" }, base: { id: "SOR_021" } },
        { id: "kb-guest", accessToken: null, deckLeader: { id: "SOR_010" }, base: { id: "SOR_024" } },
      ],
    });
    const answers = await Promise.all([a, b].map(async (server) => (await post(server, "/api/integration/karabast/game-result", body)).json()));
    const stored = answers.filter((x) => (x as { duplicate?: boolean }).duplicate !== true);
    expect(stored).toEqual([
      {
        success: true,
        gameId,
        players: [
          { id: "kb-player", attributed: true },
          { id: "kb-guest", attributed: false, reason: "no_token" },
        ],
      },
    ]);
    expect(answers.filter((x) => (x as { duplicate?: boolean }).duplicate === true)).toEqual([{ success: true, duplicate: true, gameId }]);
    const [rows] = await sql<{ n: number }[]>`select count(*)::int as n from game where game_id = ${gameId}`;
    expect(rows!.n).toBe(1);
    expect(await total("swubase_games_ingested_total")).toBe(before.ingested + 1);
    expect(await total("swubase_games_duplicate_total")).toBe(before.duplicate + 1);
  });

  it("shares the per-address failure budget: 16 bad client secrets alternating over both are refused after 10 in all", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await post(i % 2 === 0 ? a : b, "/api/integration/unlink", { client_id: PARTNER.clientId, client_secret: `wrong-${i}`, external_user_id: "x" });
      statuses.push(res.status);
    }
    // Each instance saw 8 attempts, 5 of them before the budget of 10 (RATE_LIMIT_FAILED_AUTH_PER_MINUTE) ran out.
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(6).fill(429)]);
    expect(await total("swubase_rate_limit_refusals_total", { limiter: "failedAuth" })).toBe(6);
    // The partner itself, from the same address, is not refused (issue 13): its secret proves who it is.
    expect((await partnerCall(b, "/api/integration/unlink", { external_user_id: "x" })).status).toBe(200);
  });
});
