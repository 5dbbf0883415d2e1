/**
 * Database outage under load. The real server (startServer) talks to PostgreSQL through a TCP
 * proxy the test controls. While partners keep calling link-confirm, refresh-token and
 * game-result (and a monitor polls /api/ready), the proxy first resets every connection (hard
 * cut), later accepts but forwards nothing (blackhole). Every answer must come within 5 s, be a
 * 503 `temporarily_unavailable` while the database is gone (never a 500, never a hang), and the
 * same process must serve again after the proxy is restored, with no half-written link or game.
 */
import { sql } from "drizzle-orm";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { LINK_CONFIRM_RETRY_SECONDS } from "../../src/domain/tokens/link-token-reuse.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { createLogger } from "../../src/logger.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import { createServices, type Services } from "../../src/services.js";
import { createPostgresDatabase } from "../support/databases.js";
import { TEST_ORIGIN } from "../support/test-app.js";
import {
  activeLink,
  announceSkip,
  createUsers,
  gameBody,
  gameData,
  gameRowCounts,
  latency,
  pendingLink,
  percentile,
  postJsonTimed,
  registerPartner,
  SAMPLE_METRICS,
  SECRETS,
  sleep,
  startTcpProxy,
  TEST_DATABASE_URL,
  timedFetch,
  type Sample,
  type TcpProxy,
} from "./support.js";

announceSkip("db-outage");

const MAX_LATENCY_MS = 5000;
const CHAINS = 4;
const GAME_WORKERS = 3;
const PENDING_PER_PHASE = 80;
/** Hard caps: a stream never runs longer or sends more than this, whatever happens. */
const STREAM_MAX_MS = 40_000;
const STREAM_MAX_REQUESTS = 4000;
const KINDS = ["ready", "refresh", "game", "confirm"] as const;
/** Pause between one partner worker's calls: 8 workers stay far under the default partner rate limit (500/s). */
const PACE_MS = 80;

interface Chain {
  externalUserId: string;
  refresh: string;
  access: string;
  rotations: number;
}
interface Pending {
  externalUserId: string;
  linkToken: string;
  status?: number;
}
interface GameSent {
  gameId: string;
  status: number;
}

describe.skipIf(!TEST_DATABASE_URL)("database outage under load (PostgreSQL behind a TCP proxy)", () => {
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let proxy: TcpProxy | undefined;
  let server: RunningServer | undefined;
  let direct: Database | undefined;
  let services: Services;
  let partner: { clientId: string; secret: string };
  let base: string;
  let players: [{ id: string; accessToken: string }, { id: string; accessToken: string }];
  const chains: Chain[] = [];
  const pendingByPhase = new Map<string, Pending[]>();
  const logs: string[] = [];
  const report: Record<string, unknown> = {};

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    const proxied = await startTcpProxy(pg.url);
    proxy = proxied.proxy;
    const config = loadConfig({
      ...SECRETS,
      NODE_ENV: "test",
      PUBLIC_URL: TEST_ORIGIN,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      DEMO_PARTNER: "off",
      DATABASE_URL: proxied.url,
    });
    // LOG_LEVEL says silent; the test keeps warnings and errors to prove no request became a 500.
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    server = await startServer({ config, logger: createLogger({ level: "warn", destination: sink }), webRoot: null });
    base = server.url;

    // Seeding goes straight to the database, not through the proxy.
    direct = await openDatabase({ kind: "postgres", url: pg.url, maxConnections: 4 }, { migrate: false });
    services = createServices({ config, db: direct.db, clock: () => new Date() });
    const registered = await registerPartner(services);
    partner = { clientId: registered.clientId, secret: registered.secret };
    const [p0, p1, ...chainUsers] = await createUsers(direct.db, "outage", 2 + CHAINS);
    const t0 = await activeLink(services, registered.client, p0!, "kb-player-0");
    const t1 = await activeLink(services, registered.client, p1!, "kb-player-1");
    players = [
      { id: "kb-player-0", accessToken: t0.access_token },
      { id: "kb-player-1", accessToken: t1.access_token },
    ];
    for (const [i, userId] of chainUsers.entries()) {
      const tokens = await activeLink(services, registered.client, userId, `kb-chain-${i}`);
      chains.push({ externalUserId: `kb-chain-${i}`, refresh: tokens.refresh_token, access: tokens.access_token, rotations: 0 });
    }
    for (const phase of ["cut", "blackhole"]) {
      const userIds = await createUsers(direct.db, `pending-${phase}`, PENDING_PER_PHASE);
      const list: Pending[] = [];
      for (const [i, userId] of userIds.entries()) {
        const externalUserId = `kb-${phase}-${i}`;
        list.push({ externalUserId, linkToken: await pendingLink(services, userId, externalUserId) });
      }
      pendingByPhase.set(phase, list);
    }
    // Warm the server's pool through the proxy.
    const ready = await timedFetch("ready", `${base}/api/ready`);
    expect(ready.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await server?.stop().catch(() => {});
    await proxy?.close();
    await direct?.close().catch(() => {});
    await pg?.drop();
    if (Object.keys(report).length) console.log(`[db-outage] measurements\n${JSON.stringify(report, null, 2)}`);
  }, 30_000);

  const creds = () => ({ client_id: partner.clientId, client_secret: partner.secret, integration: "karabast" });

  /** Partners and a monitor calling the server concurrently until stopped (bounded in time and count). */
  function startStream(phase: string) {
    for (const chain of chains) chain.rotations = 0;
    Object.assign(proxy!.stats, { accepted: 0, reset: 0, held: 0 });
    const samples: (Sample & { gameId?: string; pending?: Pending })[] = [];
    const games: GameSent[] = [];
    const started = performance.now();
    let running = true;
    const go = () => running && samples.length < STREAM_MAX_REQUESTS && performance.now() - started < STREAM_MAX_MS;

    const refreshWorker = async (chain: Chain) => {
      while (go()) {
        const s = await postJsonTimed("refresh", `${base}/api/integration/refresh-token`, { ...creds(), refresh_token: chain.refresh, external_user_id: chain.externalUserId });
        if (s.status === 200) {
          chain.refresh = String(s.body!.refresh_token);
          chain.access = String(s.body!.access_token);
          chain.rotations++;
        }
        samples.push(s);
        await sleep(PACE_MS);
      }
    };
    const gameWorker = async (w: number) => {
      for (let i = 0; go(); i++) {
        const gameId = `${phase}-w${w}-${i}`;
        const s = await postJsonTimed("game", `${base}/api/integration/karabast/game-result`, gameBody(partner, gameData(gameId, players)));
        samples.push({ ...s, gameId });
        games.push({ gameId, status: s.status });
        await sleep(PACE_MS);
      }
    };
    const confirmWorker = async () => {
      for (const pending of pendingByPhase.get(phase)!) {
        if (!go()) break;
        const s = await postJsonTimed("confirm", `${base}/api/integration/link-confirm`, { ...creds(), link_token: pending.linkToken, external_user_id: pending.externalUserId });
        pending.status = s.status;
        samples.push({ ...s, pending });
        await sleep(PACE_MS);
      }
    };
    const readyWorker = async () => {
      while (go()) {
        samples.push(await timedFetch("ready", `${base}/api/ready`));
        await sleep(100);
      }
    };
    const workers = [...chains.map(refreshWorker), ...Array.from({ length: GAME_WORKERS }, (_, w) => gameWorker(w)), confirmWorker(), readyWorker()];
    return {
      samples,
      games,
      async stop() {
        running = false;
        await Promise.all(workers);
      },
    };
  }

  async function linkRows() {
    return rowsOf<{
      id: string; external_user_id: string; status: string; revoked_reason: string | null; seconds_linked: number | null;
      lt: boolean; at: boolean; rt: boolean; ac: boolean; rc: boolean; la: boolean;
    }>(
      await direct!.db.execute(sql`
        select id, external_user_id, status, revoked_reason, extract(epoch from now() - linked_at)::float8 as seconds_linked,
               link_token_digest is not null as lt, access_token_digest is not null as at,
               refresh_token_digest is not null as rt, access_token_ciphertext is not null as ac,
               refresh_token_ciphertext is not null as rc, linked_at is not null as la
        from user_integration where client_id = ${partner.clientId}`),
    );
  }

  async function outage(phase: "cut" | "blackhole", outageMs: number) {
    const stream = startStream(phase);
    await sleep(1000);
    const cutAt = performance.now();
    if (phase === "cut") proxy!.cut();
    else proxy!.blackhole();
    await sleep(outageMs);
    const restoreAt = performance.now();
    proxy!.restore({ held: "resume" });

    // Recovered when every kind of call has succeeded again (a request sent after the restore).
    let recoveredAt: number | null = null;
    const firstOk: Record<string, number> = {};
    while (performance.now() - restoreAt < 25_000) {
      for (const kind of ["ready", "refresh", "game"]) {
        const ok = stream.samples.filter((s) => s.kind === kind && s.start >= restoreAt && s.status === 200).map((s) => s.end);
        if (ok.length && firstOk[kind] === undefined) firstOk[kind] = Math.min(...ok) - restoreAt;
      }
      if (Object.keys(firstOk).length === 3) {
        recoveredAt = restoreAt + Math.max(...Object.values(firstOk));
        break;
      }
      await sleep(50);
    }
    await sleep(1500);
    await stream.stop();
    const { samples } = stream;

    const during = samples.filter((s) => s.start < restoreAt && s.end > cutAt);
    const inside = samples.filter((s) => s.start >= cutAt && s.end <= restoreAt);
    const byKind = (list: Sample[]) => Object.fromEntries(KINDS.map((k) => [k, list.filter((s) => s.kind === k).length]));
    const numbers = {
      outageMs,
      requests: samples.length,
      requestsByKind: byKind(samples),
      answeredDuringOutage: during.length,
      answered503: samples.filter((s) => s.status === 503).length,
      maxLatencyDuringOutageMs: Math.round(Math.max(0, ...during.map(latency))),
      p50LatencyDuringOutageMs: Math.round(percentile(during.map(latency), 50)),
      maxLatencyReadyDuringOutageMs: Math.round(Math.max(0, ...during.filter((s) => s.kind === "ready").map(latency))),
      maxLatencyOverallMs: Math.round(Math.max(...samples.map(latency))),
      recoveryAfterRestoreMs: recoveredAt === null ? null : Math.round(recoveredAt - restoreAt),
      firstSuccessAfterRestoreMs: Object.fromEntries(Object.entries(firstOk).map(([k, v]) => [k, Math.round(v)])),
      proxy: { ...proxy!.stats },
    };
    report[phase] = numbers;

    // Never a hang, never a 500: 200 or 503 temporarily_unavailable, always within 5 s.
    const unexpected = samples.filter((s) => s.status !== 200 && s.status !== 503);
    expect(unexpected.map((s) => `${s.kind} ${s.status} ${s.error ?? JSON.stringify(s.body)}`)).toEqual([]);
    for (const s of samples.filter((x) => x.status === 503)) expect(s.body, s.kind).toMatchObject({ error: "temporarily_unavailable" });
    expect(numbers.maxLatencyOverallMs, JSON.stringify(numbers)).toBeLessThanOrEqual(MAX_LATENCY_MS);
    // Everything sent and answered while the database was gone is a 503; /api/ready says so too.
    expect(inside.filter((s) => s.status !== 503).map((s) => `${s.kind} ${s.status}`)).toEqual([]);
    for (const kind of KINDS) expect(during.filter((s) => s.kind === kind && s.status === 503).length, `${kind} 503s during the outage`).toBeGreaterThan(0);
    expect(inside.length).toBeGreaterThan(10);
    // Recovered without a restart, and stays recovered.
    expect(recoveredAt, JSON.stringify(numbers)).not.toBeNull();
    const after = samples.filter((s) => s.start > recoveredAt! + 200);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status !== 200).map((s) => `${s.kind} ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);

    await checkConsistency(phase, stream.games);
  }

  async function checkConsistency(phase: string, games: GameSent[]) {
    // Refresh: each chain's held token is either still current (the rotation never happened) or
    // the previous one of a completed rotation whose answer was lost; both refresh fine.
    let lostRotations = 0;
    for (const chain of chains) {
      const [row] = rowsOf<{ cur: boolean; prev: boolean; status: string }>(
        await direct!.db.execute(sql`
          select refresh_token_digest = ${services.vault.digest(chain.refresh)} as cur,
                 coalesce(previous_refresh_token_digest = ${services.vault.digest(chain.refresh)}, false) as prev, status
          from user_integration where client_id = ${partner.clientId} and external_user_id = ${chain.externalUserId} and status = 'active'`),
      );
      if (!row) {
        const why = rowsOf(await direct!.db.execute(sql`select status, revoked_reason, revoked_at from user_integration where external_user_id = ${chain.externalUserId}`));
        expect.fail(`${chain.externalUserId} has no active link any more: ${JSON.stringify(why)}`);
      }
      expect(row!.cur || row!.prev, chain.externalUserId).toBe(true);
      if (row!.prev) lostRotations++;
      const res = await postJsonTimed("refresh", `${base}/api/integration/refresh-token`, { ...creds(), refresh_token: chain.refresh, external_user_id: chain.externalUserId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      chain.refresh = String(res.body!.refresh_token);
      chain.access = String(res.body!.access_token);
    }

    // Games: every stored game is whole (game, payload, two seats, both seats' metrics).
    const counts = await gameRowCounts(direct!.db, partner.clientId);
    const expectedCards = SAMPLE_METRICS.reduce((a, b) => a + b, 0);
    for (const [gameId, c] of counts) expect({ gameId, ...c }).toEqual({ gameId, game_id: gameId, games: 1, payloads: 1, seats: 2, metric_rows: 2, metric_cards: expectedCards });
    for (const g of games.filter((x) => x.status === 200)) expect(counts.has(g.gameId), g.gameId).toBe(true);
    // Resending every game that got a 503 stores the missing ones and reports the others as duplicates.
    const failed = games.filter((g) => g.status !== 200);
    let storedDespite503 = 0;
    for (const g of failed) {
      const wasStored = counts.has(g.gameId);
      if (wasStored) storedDespite503++;
      const res = await postJsonTimed("game", `${base}/api/integration/karabast/game-result`, gameBody(partner, gameData(g.gameId, players)));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body!.duplicate === true, g.gameId).toBe(wasStored);
    }
    const fresh = await postJsonTimed("game", `${base}/api/integration/karabast/game-result`, gameBody(partner, gameData(`${phase}-after`, players)));
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ success: true, players: [{ attributed: true }, { attributed: true }] });
    const countsAfter = await gameRowCounts(direct!.db, partner.clientId);
    for (const g of [...games, { gameId: `${phase}-after` }]) expect(countsAfter.get(g.gameId)?.games, g.gameId).toBe(1);

    // Links: every row is wholly pending or wholly active; a 503'd confirmation either never
    // happened (it works now) or happened whole (the token is used up, the link is active). A
    // revoked row is a link an earlier phase's check below confirmed again after the retry window.
    const rows = await linkRows();
    for (const r of rows) {
      if (r.status === "active") expect(r, r.external_user_id).toMatchObject({ lt: false, at: true, rt: true, ac: true, rc: true, la: true });
      else if (r.status === "revoked") expect(r, r.external_user_id).toMatchObject({ revoked_reason: "link_token_reuse", lt: false, at: false, rt: false, la: true });
      else expect(r, r.external_user_id).toMatchObject({ status: "pending", lt: true, at: false, rt: false, ac: false, rc: false, la: false });
    }
    const rowOf = new Map(rows.map((r) => [r.external_user_id, r]));
    let confirmedDespite503 = 0;
    for (const p of pendingByPhase.get(phase)!) {
      if (p.status === 200) expect(rowOf.get(p.externalUserId)?.status, p.externalUserId).toBe("active");
      if (p.status === undefined) expect(rowOf.get(p.externalUserId)?.status, p.externalUserId).toBe("pending");
      if (p.status === 503) {
        const row = rowOf.get(p.externalUserId)!;
        const wasActive = row.status === "active";
        if (wasActive) confirmedDespite503++;
        const res = await postJsonTimed("confirm", `${base}/api/integration/link-confirm`, { ...creds(), link_token: p.linkToken, external_user_id: p.externalUserId });
        // Confirming a committed one again is the callback loaded twice: the link's pair within
        // LINK_CONFIRM_RETRY_SECONDS of its confirmation, refused after (a few seconds' margin either side).
        const expected = !wasActive
          ? [200]
          : row.seconds_linked! < LINK_CONFIRM_RETRY_SECONDS - 5
            ? [200]
            : row.seconds_linked! > LINK_CONFIRM_RETRY_SECONDS + 5
              ? [400]
              : [200, 400];
        expect(expected, p.externalUserId).toContain(res.status);
      }
    }
    Object.assign(report[phase] as object, {
      gamesSent: games.length,
      games503: failed.length,
      gamesStoredDespite503: storedDespite503,
      confirms503: pendingByPhase.get(phase)!.filter((p) => p.status === 503).length,
      confirmsCommittedDespite503: confirmedDespite503,
      refreshChainsWithLostRotation: lostRotations,
      rotations: chains.reduce((n, c) => n + c.rotations, 0),
    });
  }

  it("hard cut (every connection reset, new ones refused): 503 within 5 s, then recovers in place", async () => {
    await outage("cut", 5000);
  }, 60_000);

  it("blackhole (connections accepted, nothing answered): 503 within 5 s via the request timeout, then recovers in place", async () => {
    await outage("blackhole", 10_000);
  }, 60_000);

  /**
   * The request timeout answers 503 but cannot stop the abandoned handler: its queries run when
   * the database answers again. A partition heals unevenly (TCP retransmission backoff delays the
   * connection that was sending; idle and new connections work at once), so the partner's retry
   * succeeds and the chain moves on before the abandoned refresh reaches the database. That late
   * refresh presents a token retired by the retry and must not count as a replay.
   */
  it("a refresh abandoned by the timeout that reaches the database late does not revoke the link", async () => {
    const [userId] = await createUsers(direct!.db, "late", 1);
    const client = (await services.clients.find(partner.clientId))!;
    const first = await activeLink(services, client, userId!, "kb-late");
    const refreshOnce = (token: string) =>
      postJsonTimed("refresh", `${base}/api/integration/refresh-token`, { ...creds(), refresh_token: token, external_user_id: "kb-late" });
    // Warm the pool and the client cache, so the stuck call's first query is the rotation.
    const warm = await refreshOnce(first.refresh_token);
    expect(warm.status).toBe(200);
    const r1 = String(warm.body!.refresh_token);

    proxy!.blackhole();
    const abandoned = await refreshOnce(r1);
    expect(abandoned.status).toBe(503);
    expect(latency(abandoned)).toBeLessThanOrEqual(MAX_LATENCY_MS);
    proxy!.restore({ busyDelayMs: 2500 });

    const retry = await refreshOnce(r1);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const next = await refreshOnce(String(retry.body!.refresh_token));
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    await sleep(4000); // the abandoned handler's queries land now

    const [row] = rowsOf<{ status: string; revoked_reason: string | null }>(
      await direct!.db.execute(sql`select status, revoked_reason from user_integration where external_user_id = 'kb-late' order by created_at desc limit 1`),
    );
    report.lateAbandonedRefresh = row;
    const after = await refreshOnce(String(next.body!.refresh_token));
    expect({ status: after.status, link: row }).toEqual({ status: 200, link: { status: "active", revoked_reason: null } });
  }, 30_000);

  it("logged no unhandled error (no 500) during either outage", () => {
    const lines = logs.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg: string });
    const unhandled = lines.filter((l) => l.msg === "unhandled error");
    expect(unhandled.map((l) => JSON.stringify(l))).toEqual([]);
    report.logs = {
      databaseUnavailable: lines.filter((l) => l.msg === "database unavailable").length,
      requestTimedOut: lines.filter((l) => l.msg === "request timed out").length,
      requestFailed503: lines.filter((l) => l.msg === "request failed").length,
    };
  });
});
