/**
 * DATABASE_READ_URL against a real primary and streaming replica that the suite makes itself
 * (test/support/replica-cluster.ts: initdb, pg_basebackup -R, pg_ctl on free ports). The server
 * (startServer) reads the replica through a TCP proxy the test can blackhole.
 *
 * - Statistics come from the replica: a game written while the replica's replay is paused is
 *   missing from them (the lag a user may see) until replay resumes.
 * - Writes and token checks go to the primary: the game is stored, and a token issued while the
 *   replica lags is accepted.
 * - Replica stopped: statistics come from the primary, complete, with one warning in the log
 *   however many requests; started again: reads return to it (one info line).
 * - Replica silent (blackholed): a read waits DATABASE_READ_TIMEOUT_MS, then the primary answers.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openDatabase, READ_APPLICATION_NAME, type Database } from "../../src/db/database.js";
import type { Client } from "../../src/domain/clients/client-service.js";
import { createLogger } from "../../src/logger.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import { createServices, type Services } from "../../src/services.js";
import { activeLink, createUsers, gameBody, gameData, REDIRECT_URI, SECRETS, startTcpProxy, type TcpProxy } from "../resilience/support.js";
import { replicaClusterUnavailable, startReplicaCluster, type ReplicaCluster } from "../support/replica-cluster.js";
import { TEST_ORIGIN } from "../support/test-app.js";

const unavailable = replicaClusterUnavailable();
if (unavailable) console.warn(`[read-replica] skipped: ${unavailable}`);

const READ_TIMEOUT_MS = 1000;
const DOWN = "read replica unavailable: statistics are read from the primary until it answers again";
const UP = "read replica answering again: statistics are read from it";

describe.skipIf(unavailable !== null)("read replica (a primary and a streaming replica made by the suite)", () => {
  let cluster: ReplicaCluster | undefined;
  let proxy: TcpProxy | undefined;
  let server: RunningServer | undefined;
  let direct: Database | undefined;
  let services: Services;
  let partner: { clientId: string; secret: string; client: Client };
  let players: [{ id: string; accessToken: string }, { id: string; accessToken: string }];
  let base: string;
  const logs: { level: number; msg: string; err?: { message: string } }[] = [];
  const lines = (msg: string) => logs.filter((l) => l.msg === msg);

  beforeAll(async () => {
    cluster = await startReplicaCluster();
    ({ proxy } = await startTcpProxy(cluster.replicaUrl));
    const config = loadConfig({
      ...SECRETS,
      NODE_ENV: "test",
      PUBLIC_URL: TEST_ORIGIN,
      PORT: "0",
      HOST: "127.0.0.1",
      DEMO_PARTNER: "off",
      RATE_LIMITS: "off",
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_READ_URL: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
      DATABASE_READ_TIMEOUT_MS: String(READ_TIMEOUT_MS),
      DATABASE_READ_RETRY_SECONDS: "1",
    });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as (typeof logs)[number]);
        cb();
      },
    });
    server = await startServer({ config, logger: createLogger({ level: "info", destination: sink }), webRoot: null });
    base = server.url;

    direct = await openDatabase({ kind: "postgres", url: cluster.primaryUrl, maxConnections: 2 }, { migrate: false });
    services = createServices({ config, db: direct.db, clock: () => new Date() });
    const { clientId, secret } = await services.clients.register({
      clientId: "karabast",
      name: "Karabast",
      integration: "karabast",
      redirectUris: [REDIRECT_URI],
      scopes: ["profile", "stats"],
    });
    partner = { clientId, secret, client: (await services.clients.find(clientId))! };
    const [me, opponent] = await createUsers(direct.db, "replica", 2);
    const t0 = await activeLink(services, partner.client, me!, "kb-me");
    const t1 = await activeLink(services, partner.client, opponent!, "kb-opponent");
    players = [
      { id: "kb-me", accessToken: t0.access_token },
      { id: "kb-opponent", accessToken: t1.access_token },
    ];
    await cluster.caughtUp();
  }, 180_000);

  afterAll(async () => {
    await server?.stop().catch(() => {});
    await direct?.close().catch(() => {});
    await proxy?.close();
    await cluster?.close();
  }, 60_000);

  const postGame = async (gameId: string) => {
    const res = await fetch(`${base}/api/integration/karabast/game-result`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(gameBody(partner, gameData(gameId, players))),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const myGames = async (token = players[0].accessToken) => {
    const res = await fetch(`${base}/api/stats/overview`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { games: number; recent: { items: { gameId: string }[] } };
    return { games: body.games, ids: body.recent.items.map((i) => i.gameId).sort() };
  };
  const onPrimary = async (gameId: string) =>
    (await cluster!.primary<{ n: number }[]>`select count(*)::int as n from game where game_id = ${gameId}`)[0]!.n;
  /**
   * Waits until the replica shows the game (beyond `caughtUp`'s LSN check): a failure then says
   * whether the replica lacked the row or the server's statistics read missed it.
   */
  const replicated = async (gameId: string) => {
    await cluster!.caughtUp();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [row] = await cluster!.replica<{ n: number }[]>`select count(*)::int as n from game where game_id = ${gameId}`;
      if (row!.n === 1) return;
      if (Date.now() > deadline) throw new Error(`the replica has not shown game ${gameId} within 20 s of replaying past its commit`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** The server's log so far, for a failing expectation's message. */
  const logTail = () => JSON.stringify(logs.slice(-10));
  /** Reads the stats until the server logs that the replica answers again (retry: 1 s). */
  const untilReplicaBack = async (upLinesBefore: number) => {
    const deadline = Date.now() + 30_000;
    while (lines(UP).length === upLinesBefore) {
      if (Date.now() > deadline) throw new Error("the server did not return to the replica within 30 s");
      await myGames();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("reads statistics from the replica (a lagging replica lags them), writes and checks tokens on the primary", async () => {
    await postGame("rr-1");
    await replicated("rr-1");
    expect(await myGames(), logTail()).toEqual({ games: 1, ids: ["rr-1"] });
    const readConnections = await cluster!.replica<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where application_name = ${READ_APPLICATION_NAME}`;
    expect(readConnections[0]!.n).toBeGreaterThan(0);

    await cluster!.pauseReplay();
    try {
      await postGame("rr-2"); // a write: the replica is read-only, so it can only have gone to the primary
      expect(await onPrimary("rr-2")).toBe(1);
      // A link (and its token) made while the replica lags: checked on the primary, so accepted.
      const [late] = await createUsers(direct!.db, "replica-late", 1);
      const lateTokens = await activeLink(services, partner.client, late!, "kb-late");
      expect(await myGames(lateTokens.access_token)).toEqual({ games: 0, ids: [] });
      // The replica has not replayed rr-2: the statistics, read there, do not show it yet.
      expect(await myGames()).toEqual({ games: 1, ids: ["rr-1"] });
    } finally {
      await cluster!.resumeReplay();
    }
    await replicated("rr-2");
    expect(await myGames(), logTail()).toEqual({ games: 2, ids: ["rr-1", "rr-2"] });
    expect(lines(DOWN)).toEqual([]);
  });

  it("falls back to the primary while the replica is stopped, with one log line, and returns to it", async () => {
    await cluster!.stopReplica();
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => myGames()));
      for (const a of answers) expect(a).toEqual({ games: 2, ids: ["rr-1", "rr-2"] });
      await postGame("rr-3");
      expect(await myGames()).toEqual({ games: 3, ids: ["rr-1", "rr-2", "rr-3"] }); // from the primary: no lag
      for (let i = 0; i < 5; i++) await myGames();
      expect(lines(DOWN)).toHaveLength(1);
      expect(lines(DOWN)[0]).toMatchObject({ level: 40, retryInSeconds: 1 });
    } finally {
      await cluster!.startReplica();
    }
    await replicated("rr-3");
    await untilReplicaBack(0);
    expect(lines(UP)[0]).toMatchObject({ level: 30, primaryReads: expect.any(Number) });

    // Back on the replica: a paused replay hides a new game again.
    await cluster!.pauseReplay();
    try {
      await postGame("rr-4");
      expect(await myGames()).toEqual({ games: 3, ids: ["rr-1", "rr-2", "rr-3"] });
    } finally {
      await cluster!.resumeReplay();
    }
    await replicated("rr-4");
    expect(await myGames(), logTail()).toEqual({ games: 4, ids: ["rr-1", "rr-2", "rr-3", "rr-4"] });
  }, 90_000);

  it("answers from the primary after DATABASE_READ_TIMEOUT_MS when the replica stops answering", async () => {
    const downBefore = lines(DOWN).length;
    const upBefore = lines(UP).length;
    proxy!.blackhole();
    try {
      const started = performance.now();
      expect(await myGames()).toEqual({ games: 4, ids: ["rr-1", "rr-2", "rr-3", "rr-4"] });
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(4500); // REQUEST_TIMEOUT_MS: answered, not a 503
      expect(lines(DOWN)).toHaveLength(downBefore + 1);
      expect(lines(DOWN).at(-1)!.err!.message).toMatch(/did not answer within 1000 ms/);
      // Resting: the next reads do not wait for the replica at all.
      const again = performance.now();
      await myGames();
      expect(performance.now() - again).toBeLessThan(READ_TIMEOUT_MS);
    } finally {
      proxy!.restore({ held: "reset" });
    }
    await untilReplicaBack(upBefore);
  }, 60_000);
});
