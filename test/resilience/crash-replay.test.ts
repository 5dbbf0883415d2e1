/**
 * Crash and replay. The server runs as a child process (`node --import tsx src/main.ts`, as
 * `npm start` does) on a fresh PostgreSQL database. Five senders stream game results with
 * unique game ids; the server is killed with SIGKILL mid-stream, restarted, and every game is
 * sent again. Each game must be stored exactly once and whole; games acknowledged before the
 * crash must come back as `{duplicate: true}`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createServices } from "../../src/services.js";
import { createPostgresDatabase } from "../support/databases.js";
import {
  activeLink,
  announceSkip,
  createUsers,
  freePort,
  gameBody,
  gameData,
  gameRowCounts,
  postJsonTimed,
  registerPartner,
  SAMPLE_METRICS,
  SECRETS,
  sleep,
  TEST_DATABASE_URL,
  timedFetch,
  type Sample,
} from "./support.js";

announceSkip("crash-replay");

const GAMES = 300;
const SENDERS = 5;
/** Kill once this many games were acknowledged. */
const KILL_AFTER_ACKS = 100;
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The first start may build the web app (src/main.ts does when dist/web is stale): ~15 s. */
const FIRST_START_MS = 90_000;
const RESTART_MS = 30_000;

describe.skipIf(!TEST_DATABASE_URL)("crash (SIGKILL) mid-stream and full replay (PostgreSQL, child process)", () => {
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let direct: Database | undefined;
  let dataDir: string | undefined;
  let child: ChildProcess | null = null;
  let childOutput = "";
  let port: number;
  let base: string;
  let partner: { clientId: string; secret: string };
  let players: [{ id: string; accessToken: string }, { id: string; accessToken: string }];
  const report: Record<string, unknown> = {};

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "swl-crash-"));
    // The partner and two linked players are set up the way the operator CLI does it: the
    // services on the same database (the migrations run here first; the server finds them applied).
    direct = await openDatabase({ kind: "postgres", url: pg.url, maxConnections: 4 });
    const config = loadConfig({ ...SECRETS, NODE_ENV: "test", DATABASE_URL: pg.url, DATA_DIR: dataDir, DEMO_PARTNER: "off" });
    const services = createServices({ config, db: direct.db, clock: () => new Date() });
    const registered = await registerPartner(services);
    partner = { clientId: registered.clientId, secret: registered.secret };
    const [u0, u1] = await createUsers(direct.db, "crash", 2);
    const t0 = await activeLink(services, registered.client, u0!, "kb-crash-0");
    const t1 = await activeLink(services, registered.client, u1!, "kb-crash-1");
    players = [
      { id: "kb-crash-0", accessToken: t0.access_token },
      { id: "kb-crash-1", accessToken: t1.access_token },
    ];
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    await stopChild();
    await direct?.close().catch(() => {});
    await pg?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (Object.keys(report).length) console.log(`[crash-replay] measurements\n${JSON.stringify(report, null, 2)}`);
  }, 30_000);

  /** Starts `node --import tsx src/main.ts` and waits until /api/ready answers 200. */
  async function startChild(timeoutMs: number): Promise<number> {
    const started = performance.now();
    childOutput = "";
    const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: PROJECT_ROOT,
      env: {
        // eslint-disable-next-line no-restricted-properties -- the child needs a PATH and nothing else of ours
        PATH: process.env.PATH,
        NODE_ENV: "test",
        DATABASE_URL: pg!.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: base,
        DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        DEMO_PARTNER: "off",
        ...SECRETS,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout!.on("data", (d: Buffer) => (childOutput = (childOutput + d.toString()).slice(-4000)));
    proc.stderr!.on("data", (d: Buffer) => (childOutput = (childOutput + d.toString()).slice(-4000)));
    while (performance.now() - started < timeoutMs) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited during start-up (${proc.exitCode ?? proc.signalCode}):\n${childOutput}`);
      const ready = await timedFetch("ready", `${base}/api/ready`, {}, 2000);
      if (ready.status === 200) return Math.round(performance.now() - started);
      await sleep(200);
    }
    throw new Error(`server not ready after ${timeoutMs} ms:\n${childOutput}`);
  }

  async function killChild(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    await Promise.race([exited, sleep(10_000)]);
  }

  async function stopChild(): Promise<void> {
    await killChild("SIGTERM");
    await killChild("SIGKILL");
    child = null;
  }

  const sendGame = (gameId: string) => postJsonTimed("game", `${base}/api/integration/karabast/game-result`, gameBody(partner, gameData(gameId, players)), 10_000);

  /** One game until it gets an answer other than 429 (rate limit: wait and resend), at most 20 tries. */
  let answered429 = 0;
  async function sendUntilAnswered(gameId: string, stop: () => boolean): Promise<Sample> {
    let answer = await sendGame(gameId);
    for (let tries = 1; answer.status === 429 && tries < 20 && !stop(); tries++) {
      answered429++;
      await sleep(200);
      answer = await sendGame(gameId);
    }
    return answer;
  }

  it(`stores each of ${GAMES} games exactly once after a SIGKILL mid-stream and a full resend`, async () => {
    const gameIds = Array.from({ length: GAMES }, (_, i) => `crash-game-${String(i).padStart(4, "0")}`);
    report.firstStartMs = await startChild(FIRST_START_MS);

    // Stream with 5 senders; the sender that sees the 100th acknowledgement kills the server.
    const acknowledged = new Set<string>();
    const sentBeforeKill = new Set<string>();
    const rateLimited = { count: 0 };
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (!killed && next < gameIds.length) {
        const gameId = gameIds[next++]!;
        sentBeforeKill.add(gameId);
        const answer = await sendUntilAnswered(gameId, () => killed);
        if (answer.status === 429) rateLimited.count++;
        if (answer.status === 200) {
          expect(answer.body).toMatchObject({ success: true, gameId });
          acknowledged.add(gameId);
        }
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          child!.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    expect(killed).toBe(true);
    await killChild("SIGKILL");
    expect(child!.signalCode).toBe("SIGKILL");
    const inFlightAtKill = sentBeforeKill.size - acknowledged.size;

    report.restartMs = await startChild(RESTART_MS);

    // Resend everything, again with 5 senders.
    const replay = new Map<string, Sample>();
    let cursor = 0;
    const replaySender = async () => {
      while (cursor < gameIds.length) {
        const gameId = gameIds[cursor++]!;
        replay.set(gameId, await sendUntilAnswered(gameId, () => false));
      }
    };
    const replayStarted = performance.now();
    await Promise.all(Array.from({ length: SENDERS }, replaySender));
    const replayMs = Math.round(performance.now() - replayStarted);

    const failed = [...replay.entries()].filter(([, s]) => s.status !== 200).map(([id, s]) => `${id}: ${s.status} ${s.error ?? JSON.stringify(s.body)}`);
    expect(failed).toEqual([]);
    const duplicates = new Set([...replay.entries()].filter(([, s]) => s.body!.duplicate === true).map(([id]) => id));
    // Everything acknowledged before the crash was stored and is recognised as a duplicate.
    expect([...acknowledged].filter((id) => !duplicates.has(id))).toEqual([]);
    // Only games sent before the crash can be duplicates.
    expect([...duplicates].filter((id) => !sentBeforeKill.has(id))).toEqual([]);

    // Exactly once, whole: one game row, one payload, two seats, both seats' card metrics.
    const counts = await gameRowCounts(direct!.db, partner.clientId);
    expect(counts.size).toBe(GAMES);
    const cards = SAMPLE_METRICS.reduce((a, b) => a + b, 0);
    for (const gameId of gameIds)
      expect({ gameId, ...counts.get(gameId) }).toEqual({ gameId, game_id: gameId, games: 1, payloads: 1, seats: 2, metric_rows: 2, metric_cards: cards });

    Object.assign(report, {
      games: GAMES,
      senders: SENDERS,
      sentBeforeKill: sentBeforeKill.size,
      acknowledgedBeforeKill: acknowledged.size,
      unansweredAtKill: inFlightAtKill,
      storedDespiteNoAnswer: [...duplicates].filter((id) => !acknowledged.has(id)).length,
      answeredDuplicateOnReplay: duplicates.size,
      storedNewOnReplay: GAMES - duplicates.size,
      storedAfterReplay: counts.size,
      answered429ThenResent: answered429,
      rateLimitedGiveUps: rateLimited.count,
      replayMs,
    });
  }, 150_000);
});
