/**
 * Statistics and game-ingest benchmark against real PostgreSQL (`npm run bench:stats`).
 *
 * Creates a fresh database on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), seeds one user with BENCH_GAMES (10,000) games in
 * SQL, serves the real app on a random port and measures over HTTP:
 *  - latency p50/p99 of the stats endpoints (50 sequential calls each, after 5 warm-up calls, from a
 *    worker thread: the client's download of a large export is not charged to the server's event loop), and
 *    the issue's targets: overview, matchup matrix, card metrics and export each p50 < 100 ms;
 *  - ingest throughput: BENCH_INGEST (2,000) games with unique ids, both players linked (a pool
 *    of BENCH_PLAYERS, 60, linked through the real flow), sent by BENCH_SENDERS (10) concurrent
 *    senders in a worker thread, with the CPU used per game (whole machine, this process,
 *    PostgreSQL) read from /proc; then the card tallies' fold job over those games, its CPU per game
 *    against ingest's (the job counts what ingest no longer does);
 *  - card metrics before the fold job has run (every game from the seats) and the job's backfill;
 *    the export before the export records' job has run (every game from the games) and its backfill,
 *    and that job's CPU per ingested game.
 *  - the meta (bench/lib/meta.ts): BENCH_META_GAMES (1,000,000) games of BENCH_META_PLAYERS (10,000)
 *    players seeded in SQL, the refresh job's backfill, and GET /api/meta/* latency; BENCH_META_GAMES=0
 *    skips it, BENCH_META_ONLY=1 runs only it.
 * The database is dropped at the end (BENCH_KEEP=1 keeps it for EXPLAIN). BENCH_POOL sets the
 * connection pool (20); BENCH_NO_TOKENS=1 sends no access tokens, which isolates the cost of the
 * two access-token lookups from the one insert statement.
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { serve, type ServerType } from "@hono/node-server";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { rowsOf } from "../src/repositories/rows.js";
import { createApp } from "../src/server/app.js";
import { buildAppDeps } from "../src/server/app-deps.js";
import { createLogger } from "../src/logger.js";
import { metaCase } from "./lib/meta.js";
import { machineCpu, postgresCpu } from "./lib/proc.js";

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SEED_GAMES = Number(process.env.BENCH_GAMES ?? 10_000);
const INGEST_GAMES = Number(process.env.BENCH_INGEST ?? 2_000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 10);
const PLAYERS = Math.max(2, 2 * Math.floor(Number(process.env.BENCH_PLAYERS ?? 60) / 2));
const CALLS = 50;
const META_GAMES = Number(process.env.BENCH_META_GAMES ?? 1_000_000);
const META_PLAYERS = Number(process.env.BENCH_META_PLAYERS ?? 10_000);
/** BENCH_META_ONLY=1: only the meta case (no statistics seed, latency or ingest). */
const META_ONLY = process.env.BENCH_META_ONLY === "1";
const ORIGIN = "http://localhost:3000";

const LEADERS = ["9226435975", "2580909557", "0011262813", "0024560758", "0026166404", "0092239541"];
const BASES = ["4301437393", "0450346170", "0119018087", "0121172430", "0344986336"];
const CARDS = ["0400955141", "0994241595", "3232845719", "3337614029", "3646264648", "3736081333", "4571900905", "5876721507", "5966087637", "6234506067",
  "6404471739", "7243187516", "7439418148", "7517208605", "7789777396", "8287246260", "9033398895", "9637610169", "1553569317", "1785627279"];

/** The ingest senders (plain JavaScript, run in a worker thread): each posts bodies until none are left. */
const SENDER_SOURCE = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const { url, bodies, senders, checkAttribution } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode, answer: JSON.parse(Buffer.concat(chunks).toString()) }));
  });
  req.on("error", reject);
  req.end(body);
});
let next = 0;
const latencies = [];
async function sender() {
  while (next < bodies.length) {
    const body = bodies[next++];
    const t0 = performance.now();
    const { status, answer } = await post(body);
    if (status !== 200 || !answer.players || (checkAttribution && !answer.players.every((p) => p.attributed))) throw new Error("ingest: " + status + " " + JSON.stringify(answer));
    latencies.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: senders }, sender)).then(
  () => parentPort.postMessage({ latencies }),
  (err) => parentPort.postMessage({ error: String(err) }),
);
`;

/**
 * The timed GETs (plain JavaScript, run in a worker thread): `warmUp` calls, then `calls` timed
 * ones, one after the other. Like a browser on another machine, the client's own work (receiving
 * a 2.5 MB export) runs beside the server's event loop, not on it.
 */
const GETTER_SOURCE = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const { url, cookie, warmUp, calls } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  http.get(url, { agent, headers: { cookie } }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(url + ": " + res.statusCode + " " + Buffer.concat(chunks).toString())));
  }).on("error", reject);
});
(async () => {
  for (let i = 0; i < warmUp; i++) await get();
  const times = [];
  for (let i = 0; i < calls; i++) times.push(await get());
  return times;
})().then((times) => parentPort.postMessage({ times }), (err) => parentPort.postMessage({ error: String(err) }));
`;

const hex = (n: number) => randomBytes(n).toString("hex");
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const name = `swl_bench_${hex(4)}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  let server: ServerType | undefined;
  const database = await openDatabase({ kind: "postgres", url: url.toString(), maxConnections: Number(process.env.BENCH_POOL ?? 20) });
  try {
    const config = loadConfig({
      NODE_ENV: "test",
      PUBLIC_URL: ORIGIN,
      DATABASE_URL: url.toString(),
      AUTH_SECRET: hex(32),
      TOKEN_ENCRYPTION_KEY: hex(32),
      TOKEN_HASH_KEY: hex(32),
      LOG_LEVEL: "warn",
      // 60 players sign up and link from one address in a few seconds: measured without the budgets.
      RATE_LIMITS: "off",
    });
    const logger = createLogger({ level: config.logLevel });
    const deps = buildAppDeps({ config, database, logger, logAuditErrors: false });
    const { services } = deps;
    const app = createApp(deps);
    const base = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(`http://127.0.0.1:${info.port}`));
    });
    if (META_ONLY) return await metaCase({ db: database.db, services, base, games: META_GAMES, players: META_PLAYERS, calls: CALLS });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN, ...headers }, body: JSON.stringify(body) });

    // --- a partner and a pool of linked players, through the real HTTP flow
    const partner = await services.clients.register({ clientId: "karabast", name: "Karabast", integration: "karabast", redirectUris: ["https://karabast.example/cb"], scopes: ["decks", "profile"] });
    async function linkedPlayer(email: string, externalUserId: string) {
      const signUp = await post("/api/auth/sign-up/email", { email, password: "correct horse battery", name: email });
      if (!signUp.ok) throw new Error(`sign-up: ${signUp.status} ${await signUp.text()}`);
      const cookie = signUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const userId = ((await signUp.json()) as { user: { id: string } }).user.id;
      const created = await post("/api/integration/link-create", { clientId: "karabast", externalUserId, scopes: "decks profile" }, { cookie });
      const { linkToken } = (await created.json()) as { linkToken: string };
      const confirmed = await post("/api/integration/link-confirm", { client_id: "karabast", client_secret: partner.secret, link_token: linkToken, external_user_id: externalUserId });
      if (!confirmed.ok) throw new Error(`link-confirm: ${confirmed.status} ${await confirmed.text()}`);
      return { userId, cookie, accessToken: ((await confirmed.json()) as { access_token: string }).access_token };
    }
    const me = await linkedPlayer("me@bench.example", "kb-me");
    // Ingest pairs players from the pool; every use of a token updates its link row.
    const pool = [me];
    for (let i = 1; i < PLAYERS; i++) pool.push(await linkedPlayer(`player${i}@bench.example`, `kb-player-${i}`));
    const externalId = (p: number) => (p === 0 ? "kb-me" : `kb-player-${p}`);

    // --- seed SEED_GAMES games for "me" in SQL (the opponent seat unattributed), 20 card metrics per seat
    let started = performance.now();
    const { db } = database;
    const arr = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'`).join(",")}]`);
    await db.execute(sql`
      insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
      select 'karabast', 'seed-' || i, 'lobby-' || (i / 3), (array['premier','premier','premier','open','eternal'])[1 + i % 5],
             now() - (i * interval '50 minutes') - interval '25 minutes', now() - (i * interval '50 minutes'), 1 + i % 9, 1 + i % 3
      from generate_series(1, ${SEED_GAMES}) as i`);
    await db.execute(sql`
      insert into game_seat (game_id, seat, external_user_id, user_id, link_id, attribution, leader, base, deck_id, deck_name, deck_source,
                             is_winner, result, finished_at, format, opponent_leader, opponent_base)
      select g.id, s.seat,
             case when s.seat = 0 then 'kb-me' else 'kb-opp-' || (g.id % 500) end,
             case when s.seat = 0 then ${me.userId} end, null, case when s.seat = 0 then 'linked' else 'no_token' end,
             (${arr(LEADERS)})[1 + (g.id + s.seat * 3) % 6], (${arr(BASES)})[1 + (g.id + s.seat) % 5],
             'deck-' || ((g.id + s.seat * 4) % 8), 'Deck ' || ((g.id + s.seat * 4) % 8), 'swuBase',
             (hashtext(g.game_id) % 2 = 0) = (s.seat = 0),
             case when (hashtext(g.game_id) % 2 = 0) = (s.seat = 0) then 'win' else 'loss' end, g.finished_at, g.format,
             (${arr(LEADERS)})[1 + (g.id + (1 - s.seat) * 3) % 6], (${arr(BASES)})[1 + (g.id + 1 - s.seat) % 5]
      from game g cross join (values (0::smallint), (1::smallint)) as s(seat)`);
    await db.execute(sql`
      insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
      select s.game_id, s.seat, array_agg(c.card order by c.n), array_agg((s.game_id + c.n) % 3 order by c.n), array_agg((s.game_id + c.n) % 2 order by c.n),
             array_agg((s.game_id * c.n) % 2 order by c.n), array_agg((s.game_id + c.n) % 4 order by c.n), array_agg((s.game_id * c.n) % 5 / 4 order by c.n)
      from game_seat s cross join unnest(${arr(CARDS)}::text[]) with ordinality as c(card, n)
      group by s.game_id, s.seat`);
    await db.execute(sql`analyze`);
    console.log(`seeded ${SEED_GAMES} games (2 seats, ${CARDS.length} card metrics each) in ${ms(performance.now() - started)}`);

    // --- stats latency
    console.log(`\nstats API latency, ${CALLS} sequential calls each (user with ${SEED_GAMES} games):`);
    const endpoints = [
      "overview", "leaders", "decks/deck-3/cards", "bases", "decks", "matchups", "matchups?by=deck", "matchups?minGames=200", "cards", "cards?deck=deck-3",
      "cards?from=2000-01-01", "weekly", "matches", "overview?format=premier&from=2026-01-01&page=3", "export?as=csv", "export?format=csv", "export?format=json",
    ];
    const results: Record<string, { p50: number; p99: number }> = {};
    const measure = async (path: string, label = path) => {
      const times = await new Promise<number[]>((resolve, reject) => {
        const worker = new Worker(GETTER_SOURCE, { eval: true, workerData: { url: `${base}/api/stats/${path}`, cookie: me.cookie, warmUp: 5, calls: CALLS } });
        worker.once("message", (m: { error?: string; times?: number[] }) => (m.error ? reject(new Error(m.error)) : resolve(m.times!)));
        worker.once("error", reject);
      });
      times.sort((a, b) => a - b);
      const result = { p50: percentile(times, 50), p99: percentile(times, 99) };
      console.log(`  ${label.padEnd(48)} p50 ${ms(result.p50).padStart(9)}   p99 ${ms(result.p99).padStart(9)}`);
      return result;
    };
    // Card metrics before the card tallies' fold job has run (every game read from the seats, as
    // right after an upgrade), then the job's backfill of the seeded games.
    await measure("cards", "cards (before the fold: all from the games)");
    const foldAll = async () => {
      const [{ newest }] = rowsOf<{ newest: string }>(await db.execute(sql`select coalesce(max(id), 0)::text as newest from game`)) as [{ newest: string }];
      const [cpu0, pg0, t0] = [process.cpuUsage(), postgresCpu(), performance.now()];
      while ((await services.cardTallyFold.runOnce(Number(newest))).behind);
      const own = process.cpuUsage(cpu0);
      return { ms: performance.now() - t0, pgMs: postgresCpu() - pg0, ownMs: (own.user + own.system) / 1000 };
    };
    const backfill = await foldAll();
    const [{ n: tallyRows }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from user_card_tally`)) as [{ n: number }];
    console.log(`  card tallies: fold job counted ${SEED_GAMES} games in ${ms(backfill.ms)} (PostgreSQL CPU ${ms(backfill.pgMs)}), ${tallyRows} tally rows`);
    // The export before the statistics job wrote the seeded games' export records (every game
    // read from the games, as right after the upgrade to drizzle/0013), then the job's backfill.
    await measure("export?format=csv", "export?format=csv (before the job: from the games)");
    await measure("export?format=json", "export?format=json (before the job: from the games)");
    const exportAll = async () => {
      const [{ newest }] = rowsOf<{ newest: string }>(await db.execute(sql`select coalesce(max(id), 0)::text as newest from game`)) as [{ newest: string }];
      const [cpu0, pg0, t0] = [process.cpuUsage(), postgresCpu(), performance.now()];
      let written = 0;
      for (let more = true; more; ) {
        const run = await services.seatExportFold.runOnce(Number(newest));
        written += run.written;
        more = run.behind;
      }
      const own = process.cpuUsage(cpu0);
      return { written, ms: performance.now() - t0, pgMs: postgresCpu() - pg0, ownMs: (own.user + own.system) / 1000 };
    };
    const exported = await exportAll();
    console.log(`  export records: the job wrote ${exported.written} in ${ms(exported.ms)} (PostgreSQL CPU ${ms(exported.pgMs)}, this process ${ms(exported.ownMs)})`);
    await db.execute(sql`analyze seat_export`);
    for (const path of endpoints) results[path] = await measure(path);

    // The issue's targets: overview, matrix, cards and export each under 100 ms at the median.
    const TARGET_MS = 100;
    console.log(`\ntargets (p50 < ${TARGET_MS} ms at ${SEED_GAMES} games):`);
    for (const [label, path] of [["overview", "overview"], ["matrix", "matchups"], ["matrix by deck", "matchups?by=deck"], ["cards", "cards"], ["export CSV", "export?format=csv"], ["export JSON", "export?format=json"]] as const) {
      const p50 = results[path]!.p50;
      console.log(`  ${label.padEnd(16)} p50 ${ms(p50).padStart(9)}   ${p50 < TARGET_MS ? "ok" : "OVER"}`);
    }

    // --- ingest throughput
    const metrics = () => Object.fromEntries(CARDS.map((c, i) => [c, { played: i % 2, resourced: i % 3 === 0 ? 1 : 0, activated: 0, drawn: 1 + (i % 2), discarded: 0 }]));
    // Consecutive games have disjoint players, as in real play (a player is in one game at a time).
    const game = (i: number, a = (2 * i) % PLAYERS, b = (2 * i + 1) % PLAYERS) => ({
      integration: "karabast",
      client_id: "karabast",
      client_secret: partner.secret,
      data: {
        gameId: `bench-${i}`,
        lobbyId: `bench-lobby-${Math.floor(i / 3)}`,
        startedAt: new Date(Date.now() - 1_800_000).toISOString(),
        finishedAt: new Date().toISOString(),
        roundNumber: 1 + (i % 8),
        sequenceNumber: 1 + (i % 3),
        format: "premier",
        players: [
          { data: { id: externalId(a), accessToken: process.env.BENCH_NO_TOKENS ? null : pool[a]!.accessToken, leader: LEADERS[i % 6], base: BASES[i % 5], deck: { id: "deck-1", name: "Deck 1", deckSource: "swuBase" }, isWinner: i % 2 === 0 }, cardMetrics: metrics() },
          { data: { id: externalId(b), accessToken: process.env.BENCH_NO_TOKENS ? null : pool[b]!.accessToken, leader: LEADERS[(i + 3) % 6], base: BASES[(i + 1) % 5], deck: { id: "deck-2", name: "Deck 2", deckSource: "swuBase" }, isWinner: i % 2 !== 0 }, cardMetrics: metrics() },
        ],
      },
    });
    const bodies = Array.from({ length: INGEST_GAMES }, (_, i) => JSON.stringify(game(i)));
    const bytes = bodies.reduce((n, b) => n + b.length, 0) / bodies.length;
    // The senders run in a worker thread, like a partner on another machine: the server's event
    // loop does only the server's work.
    started = performance.now();
    const cpuBefore = [machineCpu(), process.cpuUsage(), postgresCpu()] as const;
    const latencies = await new Promise<number[]>((resolve, reject) => {
      const worker = new Worker(SENDER_SOURCE, { eval: true, workerData: { url: `${base}/api/integration/karabast/game-result`, bodies, senders: SENDERS, checkAttribution: !process.env.BENCH_NO_TOKENS } });
      worker.once("message", (m: { error?: string; latencies?: number[] }) => (m.error ? reject(new Error(m.error)) : resolve(m.latencies!)));
      worker.once("error", reject);
    });
    const seconds = (performance.now() - started) / 1000;
    const machine = machineCpu() - cpuBefore[0];
    const own = process.cpuUsage(cpuBefore[1]);
    const ownMs = (own.user + own.system) / 1000;
    const pgMs = postgresCpu() - cpuBefore[2];
    latencies.sort((a, b) => a - b);
    const [stored] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from game where game_id like 'bench-%'`));
    console.log(`\ningest: ${INGEST_GAMES} games (${Math.round(bytes / 1024)} kB each) by ${SENDERS} concurrent senders, ${process.env.BENCH_NO_TOKENS ? "no tokens sent" : `both players linked (${PLAYERS} linked players)`}`);
    console.log(`  ${(INGEST_GAMES / seconds).toFixed(0)} games/s   p50 ${ms(percentile(latencies, 50))}   p99 ${ms(percentile(latencies, 99))}   stored ${stored?.n}`);
    console.log(`  CPU per game: ${(machine / INGEST_GAMES).toFixed(2)} ms on the whole machine, of which this process (server and senders) ${(ownMs / INGEST_GAMES).toFixed(2)} ms, PostgreSQL ${(pgMs / INGEST_GAMES).toFixed(2)} ms`);
    console.log(`  machine busy ${((100 * machine) / (seconds * 1000 * cpus().length)).toFixed(0)}% of ${cpus().length} cores during ingest`);
    // The card tallies' fold job, which counts what ingest no longer counts (issue 14: ingest may
    // fall by 10 % at most): its CPU per ingested game, against ingest's own.
    const folded = await foldAll();
    const foldCpu = (folded.pgMs + folded.ownMs) / INGEST_GAMES;
    console.log(
      `  then the card tallies' fold job: ${ms(folded.ms)} for these ${INGEST_GAMES} games, CPU per game ${foldCpu.toFixed(3)} ms (PostgreSQL ${(folded.pgMs / INGEST_GAMES).toFixed(3)} ms)` +
        ` = ${((100 * foldCpu) / (machine / INGEST_GAMES)).toFixed(1)} % of ingest's CPU per game`,
    );
    // And the export records' job (drizzle/0013), also off the ingest path: its CPU per game.
    const exportedIngest = await exportAll();
    const exportCpu = (exportedIngest.pgMs + exportedIngest.ownMs) / INGEST_GAMES;
    console.log(
      `  then the export records' job: ${ms(exportedIngest.ms)} for these ${INGEST_GAMES} games (${exportedIngest.written} records), CPU per game ${exportCpu.toFixed(3)} ms` +
        ` = ${((100 * exportCpu) / (machine / INGEST_GAMES)).toFixed(1)} % of ingest's CPU per game`,
    );

    if (META_GAMES > 0) await metaCase({ db, services, base, games: META_GAMES, players: META_PLAYERS, calls: CALLS });
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await database.close();
    if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
