/**
 * `npm run bench:scale`: refresh-token and game-result at 1,000 and then 1,000,000 active links
 * (issue 7). One database per size: 1,000 links are seeded, then 1,000,000, with COPY
 * (bench/lib/seed.ts: real HMAC digests and ciphertexts of tokens derived from the index), never
 * over HTTP; then VACUUM ANALYZE, pg_prewarm of the link table and its indexes (the working set,
 * into the OS cache) and a CHECKPOINT, so both sizes start alike. One server per size. The sizes
 * are measured in interleaved rounds (1k, 1M, 1k, 1M) after an HTTP warm-up, so the machine's
 * changing load falls on both alike. Every refresh rotates a different link, sampled uniformly
 * over the whole table; games pair players sampled the same way.
 *
 *   npm run bench:scale                          50 connections, 2 rounds of 5 s per case and size, 3 s warm-up
 *   options: --conns 50  --seconds 10  --rounds 2  --warmup 3  --max 1000000  --no-explain
 *
 * Prints the p50 at each size and the ratio 1M / 1k; writes bench/results/scale.md and
 * scale.json, and refreshes the scale section of bench/results/latest.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gameResults, refreshRotation, RefreshPool, type Player } from "./lib/cases.js";
import { explainHotStatements } from "./lib/explain.js";
import { mergeResults, runLoad, type LoadResult, type RequestSource } from "./lib/load.js";
import { evidenceTable, machineLine, type Row } from "./lib/report.js";
import { scaleSection, updateScaleSection, type ScaleSummary } from "./lib/scale-section.js";
import { REDIRECT_URI, seedActiveLinks } from "./lib/seed.js";
import { ROOT, startServerProcess, type ServerProcess } from "./lib/server-process.js";
import { prepareBench, type BenchSetup } from "./lib/setup.js";

const { values: args } = parseArgs({
  options: {
    conns: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    max: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "2" },
    "no-explain": { type: "boolean", default: false },
  },
});
const CONNS = Number(args.conns);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const SIZES = [1000, Number(args.max)];
const ROUNDS = Number(args.rounds);
const log = (...a: unknown[]) => console.log(...a);

/** `k` distinct indexes spread uniformly over [from, to): one random pick per stratum. */
function sample(from: number, to: number, k: number): number[] {
  const n = to - from;
  if (k >= n) return Array.from({ length: n }, (_, i) => from + i);
  return Array.from({ length: k }, (_, j) => from + Math.floor((n * (j + Math.random())) / k));
}

/** Random order, so consecutive requests do not walk neighbouring rows. */
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

interface SizeRun {
  size: number;
  bench: BenchSetup;
  server: ServerProcess | null;
  refresh: RequestSource;
  game: RequestSource;
  results: { refresh: LoadResult[]; game: LoadResult[] };
}

/** Seeds `size` links into a fresh database, VACUUM ANALYZE, prewarm (OS cache), CHECKPOINT; builds the request sources. */
async function prepareSize(size: number): Promise<SizeRun> {
  const bench = await prepareBench(`swl_scale_${size}`);
  const fam = bench.family("s");
  let t = performance.now();
  await bench.setup.unsafe("create extension if not exists pg_prewarm");
  await seedActiveLinks(bench.setup, bench.vault, fam, 0, size);
  log(`${size.toLocaleString("en-US")} links seeded with COPY in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  t = performance.now();
  await bench.setup.unsafe("vacuum analyze user_integration");
  const [sizeRow] = await bench.setup.unsafe<{ table: string; indexes: string }[]>(
    "select pg_size_pretty(pg_relation_size('user_integration')) as table, pg_size_pretty(pg_indexes_size('user_integration')) as indexes",
  );
  // The working set into the OS cache (shared_buffers is far smaller than the 1M table), then a checkpoint.
  await bench.setup.unsafe(`
    select pg_prewarm(c.oid::regclass, 'read') from pg_class c
    where c.oid = 'user_integration'::regclass or c.oid in (select indexrelid from pg_index where indrelid = 'user_integration'::regclass)`);
  await bench.setup.unsafe("checkpoint");
  log(`  vacuum analyze, prewarm (table ${sizeRow?.table}, indexes ${sizeRow?.indexes}), checkpoint: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  // Refresh rotates even-numbered links, games pair odd-numbered players; both sampled over the whole table.
  const even = sample(0, size, Math.min(50_000, size)).filter((i) => i % 2 === 0);
  const odd = sample(0, size, Math.min(20_000, size)).filter((i) => i % 2 === 1);
  const pool = new RefreshPool(shuffle(even).map((i) => ({ externalUserId: fam.externalUserId(i), refreshToken: fam.token("refresh", i) })));
  const players: Player[] = shuffle(odd).map((i) => ({ externalUserId: fam.externalUserId(i), accessToken: fam.token("access", i) }));
  log(`  ${pool.size} links to rotate, ${players.length} players`);
  return {
    size,
    bench,
    server: null,
    refresh: refreshRotation("/api/integration/refresh-token", bench.partner, pool),
    game: gameResults(bench.partner, players, `scale-${size}`),
    results: { refresh: [], game: [] },
  };
}

async function main() {
  const started = performance.now();
  const runs: SizeRun[] = [];
  const rows: Row[] = [];
  const explains: string[] = [];
  try {
    for (const size of SIZES) runs.push(await prepareSize(size));
    for (const run of runs) run.server = await startServerProcess({ databaseUrl: run.bench.bdb.url, secrets: run.bench.secrets, redirectUri: REDIRECT_URI });
    const summary: ScaleSummary = { date: "", machine: machineLine(runs[0]!.bench.bdb.serverVersion), conns: CONNS, sizes: [], ratio: { refresh: NaN, game: NaN } };

    // Interleaved rounds (1k, 1M, 1k, 1M, …): the machine's changing load falls on both sizes alike.
    log(`\n${CONNS} connections, ${ROUNDS} interleaved rounds of ${SECONDS / ROUNDS} s per case and size, ${WARMUP} s warm-up first (1 s later)`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const run of runs) {
        const srv = run.server!;
        for (const kind of ["refresh", "game"] as const) {
          const source = run[kind];
          await runLoad({ url: srv.url, connections: CONNS, seconds: round === 0 ? WARMUP : 1, source, serverPid: srv.pid });
          const r = await runLoad({ url: srv.url, connections: CONNS, seconds: SECONDS / ROUNDS, source, serverPid: srv.pid, monitor: run.bench.monitor });
          run.results[kind].push(r);
          const name = kind === "refresh" ? "refresh-token" : "game-result";
          log(`  ${`${name}, ${run.size.toLocaleString("en-US")} links [${round + 1}/${ROUNDS}]`.padEnd(40)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  WAL FPI/req ${r.db?.walFpi.toFixed(2)}  blocks read/req ${r.db?.blksRead.toFixed(2)}${r.failed ? `  non-2xx/errors ${r.failed}` : ""}${r.notes.length ? `  [${r.notes.join("; ")}]` : ""}`);
        }
      }
    }
    for (const run of runs) {
      const refresh = run.results.refresh.reduce(mergeResults);
      const game = run.results.game.reduce(mergeResults);
      rows.push({ name: `refresh-token, ${run.size.toLocaleString("en-US")} links`, conns: CONNS, result: refresh }, { name: `game-result, ${run.size.toLocaleString("en-US")} links`, conns: CONNS, result: game });
      summary.sizes.push({ links: run.size, refresh: { rps: refresh.rps, p50: refresh.p50, p99: refresh.p99 }, game: { rps: game.rps, p50: game.p50, p99: game.p99 } });
      await run.server?.stop();
      run.server = null;
      if (!args["no-explain"]) {
        const fam = run.bench.family("s");
        explains.push(
          await explainHotStatements({ url: run.bench.bdb.url, vault: run.bench.vault, refreshFamily: fam, playerFamily: fam, pendingFamily: run.bench.family("x"), partnerClientId: run.bench.partner.clientId, statsUserId: "none", title: `${run.size.toLocaleString("en-US")} links: ` }),
        );
      }
    }
    const [small, large] = summary.sizes;
    summary.ratio = { refresh: large!.refresh.p50 / small!.refresh.p50, game: large!.game.p50 / small!.game.p50 };
    summary.date = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";

    const resultsDir = join(ROOT, "bench/results");
    mkdirSync(resultsDir, { recursive: true });
    const jsonFile = join(resultsDir, "scale.json");
    writeFileSync(jsonFile, JSON.stringify(summary, null, 2) + "\n");
    const section = scaleSection(jsonFile);
    writeFileSync(
      join(resultsDir, "scale.md"),
      [
        `# Scale: ${SIZES.map((s) => s.toLocaleString("en-US")).join(" and ")} active links`,
        "",
        `Generated by \`npm run bench:scale\` in ${((performance.now() - started) / 1000).toFixed(0)} s. One database per size (seeded with COPY, VACUUM ANALYZE, pg_prewarm of the link table and its indexes, CHECKPOINT), one server per size (as in latest.md: NODE_ENV=production, RATE_LIMITS=off, tsx), measured in interleaved rounds. Every refresh rotates a different link sampled uniformly over the whole table; games pair players sampled the same way.`,
        "",
        section.replace(/<!--.*?-->\n?/g, "").replace(/^## .*\n/m, ""),
        "",
        "## Work per request",
        "",
        evidenceTable(rows),
        "",
        ...explains.map((e) => e.replace(/^# /gm, "## ").replace(/^## (?!\d)/gm, "### ")),
      ].join("\n"),
    );
    const updated = updateScaleSection(join(resultsDir, "latest.md"), jsonFile);
    log(`\n${section}\n\nwritten to bench/results/scale.md and scale.json${updated ? "; latest.md's scale section refreshed" : ""}`);
  } finally {
    for (const run of runs) {
      await run.server?.stop();
      await run.bench.close();
    }
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
