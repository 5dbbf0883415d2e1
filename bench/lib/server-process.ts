/**
 * Starts bench/server.ts as a child process, so its RSS and CPU are its own, the way `npm start`
 * runs src/main.ts: bundled by scripts/build.ts (dist/bench/server.js, rebuilt when stale) and run
 * by plain node with the same heap flags. `runtime: "tsx"` runs the TypeScript through tsx instead
 * (as `npm run dev` does, and `npm start` did before the build), for comparison.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { bundleIsStale, bundleServer, HEAP_FLAGS } from "../../scripts/build.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The secrets and partner both processes share: the bench seeds with the keys the server uses. */
export interface BenchSecrets {
  authSecret: string;
  tokenEncryptionKey: string;
  tokenHashKey: string;
  clientId: string;
  clientSecret: string;
}

export function newSecrets(): BenchSecrets {
  const hex = () => randomBytes(32).toString("hex");
  return { authSecret: hex(), tokenEncryptionKey: hex(), tokenHashKey: hex(), clientId: "karabast", clientSecret: `swbs_${randomBytes(32).toString("base64url")}` };
}

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The bench server's bundle (dist/ is neither linted nor committed). */
const BENCH_BUNDLE = join(ROOT, "dist/bench/server.js");

/**
 * Bundles bench/server.ts with the options `npm run build` uses for src/main.ts (packages
 * external; import.meta.url lookups of src/ resolve from the bundle), when missing or stale.
 */
async function buildBenchServer(): Promise<string> {
  if (bundleIsStale(BENCH_BUNDLE)) await bundleServer({ entry: join(ROOT, "bench/server.ts"), outfile: BENCH_BUNDLE });
  return BENCH_BUNDLE;
}

export async function startServerProcess(options: {
  databaseUrl: string;
  secrets: BenchSecrets;
  redirectUri: string;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeArgs?: string[];
  /** Server log file; default: discarded (/dev/null), as cheap as a log shipper reading a pipe. */
  logFile?: string;
  env?: Record<string, string>;
  /** "build" (the default: as `npm start` runs the server, the bundle by plain node with HEAP_FLAGS) or "tsx" (through tsx's loader, default heap limits). */
  runtime?: "build" | "tsx";
}): Promise<ServerProcess> {
  const port = await freePort();
  const s = options.secrets;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Plain http on the loopback: the production checks refuse an http:// PUBLIC_URL without it.
    ALLOW_INSECURE_PUBLIC_URL: "1",
    DATABASE_URL: options.databaseUrl,
    AUTH_SECRET: s.authSecret,
    TOKEN_ENCRYPTION_KEY: s.tokenEncryptionKey,
    TOKEN_HASH_KEY: s.tokenHashKey,
    KARABAST_CLIENT_ID: s.clientId,
    KARABAST_CLIENT_SECRET: s.clientSecret,
    KARABAST_REDIRECT_URIS: options.redirectUri,
    // The per-client partner budget (100 req/s, bursts of 200) would cap every partner case.
    RATE_LIMITS: "off",
    LOG_LEVEL: "info",
    // Metrics on (GET /metrics kept and scrapeable) when the bench runs with METRICS_TOKEN set.
    ...(process.env.METRICS_TOKEN ? { METRICS_TOKEN: process.env.METRICS_TOKEN } : {}),
    // How often bench/server.ts runs the meta refresh (default: as src/server/start.ts, every minute).
    ...(process.env.BENCH_META_REFRESH_MS ? { BENCH_META_REFRESH_MS: process.env.BENCH_META_REFRESH_MS } : {}),
    // Group commit (DATABASE_BATCHING, DATABASE_BATCH_*) as the bench's own environment says, to compare runs with and without.
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith("DATABASE_BATCH") && e[1] !== undefined)),
    ...options.env,
  };
  const entry = options.runtime === "tsx" ? ["--import", "tsx", "bench/server.ts"] : [...HEAP_FLAGS, await buildBenchServer()];
  return spawnBenchProcess({ args: [...(options.nodeArgs ?? []), ...entry], env, logFile: options.logFile, what: "bench server" });
}

/** The IPC message a bench process sends when it listens (plus whatever else it reports). */
export interface ReadyMessage {
  ready: true;
  port: number;
  pid: number;
}

/**
 * Starts a node process (`args` after the node binary) that sends `{ ready, port, pid, … }` over
 * IPC when it listens; its stdout goes to `logFile` or nowhere, the tail of its stderr into the
 * error when it fails to start. `stop()` sends SIGTERM (SIGKILL after 15 s).
 */
export async function spawnBenchProcess<M extends ReadyMessage = ReadyMessage>(options: {
  args: string[];
  env: Record<string, string>;
  logFile?: string;
  what: string;
  /** How long it may take to get ready (default 60 s). */
  readyTimeoutMs?: number;
}): Promise<ServerProcess & { ready: M }> {
  const readyTimeout = options.readyTimeoutMs ?? 60_000;
  const stdout = options.logFile ? openSync(options.logFile, "a") : "ignore";
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: options.env,
    stdio: ["ignore", stdout, "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await new Promise<M>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${options.what} not ready after ${readyTimeout / 1000} s\n${stderr}`));
    }, readyTimeout);
    child.on("message", (m: M) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.what} exited (${code}) before it was ready\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: ready.pid,
    ready,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
