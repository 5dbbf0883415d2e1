/** Starts bench/server.ts as a child process (`node --import tsx`), so its RSS and CPU are its own. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";

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

async function freePort(): Promise<number> {
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

/** Outside the work tree, so no linter ever sees the generated JavaScript. */
const COMPILED = join(tmpdir(), "swubase-link-bench-build");

/**
 * A production-style build of the bench server: esbuild bundles src/ and bench/server.ts into one
 * ES module (packages stay external, as with tsup), run by plain node. The bundle sits two folders
 * deep so the relative paths src/ computes from import.meta.url (../../drizzle, ../../../data)
 * land on symlinks to the real folders; a node_modules symlink resolves the packages. Used to
 * compare the tsx runtime with a build.
 */
export async function compileServer(): Promise<string> {
  const { build } = await import("esbuild");
  rmSync(COMPILED, { recursive: true, force: true });
  const outfile = join(COMPILED, "build/a/b/server.mjs");
  await build({ entryPoints: [join(ROOT, "bench/server.ts")], outfile, bundle: true, packages: "external", format: "esm", platform: "node", target: "node20", logLevel: "warning" });
  const links: [string, string][] = [
    [join(ROOT, "drizzle"), join(COMPILED, "build/drizzle")],
    [join(ROOT, "data"), join(COMPILED, "data")],
    [join(ROOT, "node_modules"), join(COMPILED, "node_modules")],
  ];
  for (const [target, path] of links) {
    rmSync(path, { recursive: true, force: true });
    mkdirSync(join(path, ".."), { recursive: true });
    symlinkSync(target, path);
  }
  return outfile;
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
  /** "tsx" (as `npm start` runs it, the default) or "compiled" (plain node on compileServer()'s output). */
  runtime?: "tsx" | "compiled";
}): Promise<ServerProcess> {
  const port = await freePort();
  const s = options.secrets;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
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
    ...options.env,
  };
  const stdout = options.logFile ? openSync(options.logFile, "a") : "ignore";
  const entry = options.runtime === "compiled" ? [await compileServer()] : ["--import", "tsx", "bench/server.ts"];
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env,
    stdio: ["ignore", stdout, "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server not ready after 60 s\n${stderr}`)), 60_000);
    child.on("message", (m: { ready?: boolean; port: number; pid: number }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited (${code}) before it was ready\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: ready.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
