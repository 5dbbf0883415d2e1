/**
 * Partner refresh latency while the server is flooded with password work (issue 13, item 6).
 * Not a test: it prints numbers and never fails on slow ones.
 *
 *   npx tsx bench/password-flood.ts            # FLOOD=150 sign-ins + 150 sign-ups at once
 *
 * The bench server (bench/server.ts, built and run as `npm start` runs, RATE_LIMITS=off: the
 * flood stands for many addresses) on a fresh PostgreSQL database with seeded links. PARTNERS (4)
 * partner workers each rotate their own link's refresh token back to back for the whole run: ~1 s
 * before the flood, during it (until its last answer) and AFTER_MS (3,000) after it, so work a
 * server keeps doing for requests already answered shows up in the third phase. Prints the
 * refresh p50/p99/max per phase, refresh failures, and the flood's answers by status and message.
 * Connection errors count as status 0. The flood is sent from a worker thread, so its own client work does not delay the partner's
 * requests (it still shares the machine's cores). PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_MAX_WAIT_MS
 * are passed to the server when set.
 */
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { REDIRECT_URI, seedActiveLinks } from "./lib/seed.js";
import { startServerProcess } from "./lib/server-process.js";
import { prepareBench } from "./lib/setup.js";

const FLOOD = Number(process.env.FLOOD ?? 150);
const PARTNERS = Number(process.env.PARTNERS ?? 4);
const AFTER_MS = Number(process.env.AFTER_MS ?? 3000);
const BEFORE_MS = 1000;

interface FloodAnswer {
  kind: string;
  status: number;
  retryAfter: string | null;
  body: string;
  ms: number;
}

/** The flood, sent from a worker thread so that building 300 requests does not delay the partner's. */
const FLOOD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, flood } = workerData;
const post = (path, body) => fetch(url + path, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify(body) });
Promise.all(Array.from({ length: flood * 2 }, async (_, k) => {
  const started = performance.now();
  try {
  const res = k % 2 === 0
    ? await post("/api/auth/sign-up/email", { email: "flood-" + k + "@flood.example", password: "password-" + k + "-long-enough", name: "Flood " + k })
    : await post("/api/auth/sign-in/email", { email: k % 4 === 1 ? "victim@flood.example" : "nobody-" + k + "@flood.example", password: "wrong password" });
  const body = (await res.text()).slice(0, 160);
  return { kind: k % 2 === 0 ? "sign-up" : "sign-in", status: res.status, retryAfter: res.headers.get("retry-after"), body, ms: performance.now() - started };
  } catch (err) {
    return { kind: k % 2 === 0 ? "sign-up" : "sign-in", status: 0, retryAfter: null, body: String(err), ms: performance.now() - started };
  }
})).then((answers) => parentPort.postMessage(answers));
`;

interface Sample {
  at: number;
  ms: number;
  status: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function summary(samples: Sample[]): string {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const failed = samples.filter((s) => s.status !== 200).length;
  return `${samples.length} refreshes, p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${(ms.at(-1) ?? NaN).toFixed(1)} ms, failed ${failed}`;
}

async function main() {
  const bench = await prepareBench("swl_flood");
  const family = bench.family("flood");
  await seedActiveLinks(bench.setup, bench.vault, family, 0, PARTNERS);
  // PASSWORD_HASH_* from this environment reach the server, to compare settings.
  const env = Object.fromEntries(["PASSWORD_HASH_CONCURRENCY", "PASSWORD_HASH_MAX_WAIT_MS"].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  const server = await startServerProcess({ databaseUrl: bench.bdb.url, secrets: bench.secrets, redirectUri: REDIRECT_URI, env });
  try {
    const post = (path: string, body: unknown) =>
      fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: JSON.stringify(body) });
    // One account whose password the sign-ins get wrong (the others try unknown emails): both hash.
    const victim = await post("/api/auth/sign-up/email", { email: "victim@flood.example", password: "correct horse battery", name: "Victim" });
    if (victim.status !== 200) throw new Error(`sign-up failed: ${victim.status} ${await victim.text()}`);

    const loadBefore = loadavg();
    const samples: Sample[] = [];
    let stop = false;
    const t0 = performance.now();
    const workers = Array.from({ length: PARTNERS }, async (_, i) => {
      let refreshToken = family.token("refresh", i);
      while (!stop) {
        const started = performance.now();
        let res: Response;
        let text: string;
        try {
          res = await post("/api/integration/refresh-token", {
            client_id: bench.partner.clientId,
            client_secret: bench.partner.clientSecret,
            refresh_token: refreshToken,
            external_user_id: family.externalUserId(i),
            integration: "karabast",
          });
          text = await res.text();
        } catch (err) {
          // A connection error counts as a failed refresh (status 0); the token is unchanged.
          samples.push({ at: started - t0, ms: performance.now() - started, status: 0 });
          console.log(`refresh failed: ${String(err)}`);
          continue;
        }
        samples.push({ at: started - t0, ms: performance.now() - started, status: res.status });
        if (res.status === 200) refreshToken = (JSON.parse(text) as { refresh_token: string }).refresh_token;
        else console.log(`refresh ${res.status}: ${text.slice(0, 200)}`);
      }
    });

    await new Promise((r) => setTimeout(r, BEFORE_MS));
    const floodStart = performance.now() - t0;
    const answers = await new Promise<FloodAnswer[]>((resolve, reject) => {
      const worker = new Worker(FLOOD_SOURCE, { eval: true, workerData: { url: server.url, flood: FLOOD } });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const floodEnd = performance.now() - t0;
    await new Promise((r) => setTimeout(r, AFTER_MS));
    stop = true;
    await Promise.all(workers);

    console.log(`load average before: ${loadBefore.map((l) => l.toFixed(1)).join(" ")}; after: ${loadavg().map((l) => l.toFixed(1)).join(" ")} (${availableParallelism()} cores)`);
    console.log(`flood: ${FLOOD} sign-ins + ${FLOOD} sign-ups at once, ${PARTNERS} partner workers refreshing back to back`);
    console.log(`before the flood:      ${summary(samples.filter((s) => s.at < floodStart))}`);
    console.log(`during the flood:      ${summary(samples.filter((s) => s.at >= floodStart && s.at < floodEnd))} (flood lasted ${((floodEnd - floodStart) / 1000).toFixed(1)} s)`);
    console.log(`after its last answer: ${summary(samples.filter((s) => s.at >= floodEnd))}`);
    const groups = new Map<string, { n: number; maxMs: number; ms: number[] }>();
    for (const a of answers) {
      const body = a.status === 200 ? "(session)" : a.body;
      const key = `${a.kind} ${a.status}${a.retryAfter ? ` Retry-After ${a.retryAfter}` : ""} ${body}`;
      const g = groups.get(key) ?? { n: 0, maxMs: 0, ms: [] };
      g.n++;
      g.ms.push(a.ms);
      g.maxMs = Math.max(g.maxMs, a.ms);
      groups.set(key, g);
    }
    console.log("flood answers:");
    for (const [key, g] of [...groups].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${String(g.n).padStart(4)} × ${key} (median ${(quantile(g.ms.sort((x, y) => x - y), 0.5) / 1000).toFixed(2)} s, slowest ${(g.maxMs / 1000).toFixed(1)} s)`);
  } finally {
    await server.stop();
    await bench.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
