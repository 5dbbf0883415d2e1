/**
 * SLOW (~1–2 min: a web build when dist/web is stale, an `npm ci` from the npm cache, a server
 * boot on a fresh embedded database). A production install without build tools, as README's
 * "Production install" does it: the builds and RUNTIME_FILES (scripts/build.ts) copied into a
 * temporary folder, `npm ci --omit=dev --omit=optional` there, then plain node.
 *
 * - The bundles import only `dependencies` (never vite, esbuild, tsx, react…), and no package that
 *   a runtime dependency needs is optional-only (so `--omit=optional` drops build tools alone).
 * - The install holds every dependency, none of the build tools or front-end packages, the
 *   postgres.js patch applied by postinstall; its size is printed.
 * - `node dist/server/main.js` (NODE_ENV=production) serves the page, its assets and the API, and
 *   applies the migrations; `node dist/server/cli.js` runs the operator commands.
 *
 * Why `--omit=optional` beside `--omit=dev`: better-auth declares vitest, drizzle-kit, react and
 * react-dom as optional peers, and npm keeps a dev dependency that is also an optional peer of a
 * production dependency ("devOptional") unless optional packages are omitted too (npm/cli#5203).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildWeb, bundleServer, CLI_ENTRY, HEAP_FLAGS, ROOT, RUNTIME_FILES } from "../../scripts/build.js";
import { webBuildIsStale } from "../../src/server/build-web.js";
import { freePort } from "../resilience/support.js";

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
}
interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };

/** Build tools and front-end packages: devDependencies, and absent from a production install. */
const NOT_IN_PRODUCTION = ["vite", "esbuild", "tsx", "drizzle-kit", "vitest", "typescript", "react", "react-dom", "react-is", "recharts", "tailwindcss", "@tailwindcss/vite", "@vitejs/plugin-react", "@tanstack/react-router", "@tanstack/react-query", "@tanstack/router-plugin"];

const stage = (() => {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  // Beside dist/server (same depth below the project), so the bundles' file lookups come out the same.
  return mkdtempSync(join(ROOT, "dist", "production-install-test-"));
})();
const installDir = mkdtempSync(join(tmpdir(), "swl-production-install-"));
afterAll(() => {
  rmSync(stage, { recursive: true, force: true });
  rmSync(installDir, { recursive: true, force: true });
});

/** The bare package names a bundle imports, statically (esbuild writes them at the top, one statement each) or dynamically; node: built-ins left out. */
function importedPackages(bundle: string): string[] {
  const statics = [...bundle.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)";|^import\s*"([^"]+)";/gm)].map((m) => m[1] ?? m[2]!);
  const dynamics = [...bundle.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
  const names = [...statics, ...dynamics]
    .filter((s) => !s.startsWith("node:") && !s.startsWith("."))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!));
  return [...new Set(names)].sort();
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} took longer than ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** This process's environment without the npm settings `npm test` passes down (an --omit of its own, …); the cache stays. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- the children get the machine's environment (PATH, HOME, the npm cache)
  const env = Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry|userconfig|cafile)$/i.test(k));
  return { ...Object.fromEntries(env), ...extra };
}

function sizeMb(path: string): number {
  let bytes = 0;
  const walk = (p: string) => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else bytes += s.size;
  };
  walk(path);
  return Math.round(bytes / 2 ** 20);
}

describe("production install without build tools (slow: npm ci)", () => {
  it("keeps build tools and front-end packages in devDependencies, and serve runs the bundle with the heap flags", () => {
    for (const name of NOT_IN_PRODUCTION) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
    expect(pkg.scripts.serve).toBe(`exec node ${HEAP_FLAGS.join(" ")} dist/server/main.js`);
  });

  it("drops only dev packages with --omit=optional: no runtime package depends on an optional-only one", () => {
    const entries = Object.entries(lock.packages).filter(([path]) => path !== "");
    const isRuntime = (e: LockEntry) => !e.dev && !e.devOptional && !e.optional;
    const runtime = new Set(entries.filter(([, e]) => isRuntime(e)).map(([path]) => path.replace(/^.*node_modules\//, "")));
    for (const [path, entry] of entries.filter(([, e]) => isRuntime(e)))
      for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }))
        if (lock.packages[`node_modules/${name}`] || lock.packages[`${path}/node_modules/${name}`]) expect(runtime.has(name), `${path} → ${name}`).toBe(true);
    for (const name of Object.keys(pkg.dependencies)) expect(runtime.has(name), name).toBe(true);
  });

  it(
    "npm ci --omit=dev --omit=optional installs what the bundles import and nothing of the build, and node serves from it",
    async () => {
      const timings: Record<string, number> = {};
      let last = performance.now();
      const lap = () => {
        const now = performance.now();
        const seconds = Math.round((now - last) / 100) / 10;
        last = now;
        return seconds;
      };
      // The builds, made as `npm run build` makes them.
      const server = await bundleServer({ outfile: join(stage, "main.js") });
      const cli = await bundleServer({ entry: CLI_ENTRY, outfile: join(stage, "cli.js") });
      for (const { outfile } of [server, cli]) {
        const imported = importedPackages(readFileSync(outfile, "utf8"));
        expect(imported).toContain("postgres"); // the pattern finds imports
        for (const name of imported) expect(Object.keys(pkg.dependencies), `${outfile} imports ${name}`).toContain(name);
      }
      for (const path of RUNTIME_FILES) {
        const target = join(installDir, path);
        if (path === "dist/server") cpSync(stage, target, { recursive: true });
        else if (path === "dist/web" && webBuildIsStale()) await buildWeb(target); // not into dist/web: a browser suite may be serving it
        else cpSync(join(ROOT, path), target, { recursive: true });
      }

      timings.built = lap();
      const install = await run("npm", ["ci", "--omit=dev", "--omit=optional", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: installDir, timeoutMs: 150_000 });
      expect(install.code, install.output).toBe(0);
      timings.installed = lap();
      const modules = join(installDir, "node_modules");
      for (const name of NOT_IN_PRODUCTION) expect(existsSync(join(modules, name)), `${name} is installed`).toBe(false);
      for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(modules, name, "package.json")), `${name} is missing`).toBe(true);
      expect(readFileSync(join(modules, "postgres/src/queue.js"), "utf8")).toContain("fix: remove() scanned"); // postinstall's patch-package ran
      const packages = readdirSync(modules).flatMap((d) => (d.startsWith("@") ? readdirSync(join(modules, d)) : d.startsWith(".") ? [] : [d])).length;
      console.log(`[production-install] node_modules after npm ci --omit=dev --omit=optional: ${sizeMb(modules)} MB of files, ${packages} packages`);
      expect(sizeMb(modules)).toBeLessThan(150); // 88 MB when written; a build tool sneaking back in adds 100+

      // Every file the bundle locates from its own URL (migrations, card catalogue, project root) is in the install.
      const bundle = readFileSync(join(installDir, "dist/server/main.js"), "utf8");
      const lookups = [...bundle.matchAll(/new URL\("([^"]+)", new URL\("([^"]+)", import\.meta\.url\)\.href\)/g)].map(([, target, source]) =>
        fileURLToPath(new URL(target!, new URL(source!, pathToFileURL(join(installDir, "dist/server/main.js"))))),
      );
      expect(lookups.length).toBeGreaterThan(0);
      for (const path of lookups) {
        expect(path.startsWith(installDir), path).toBe(true);
        expect(existsSync(path), path).toBe(true);
      }

      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const secret = () => randomBytes(32).toString("hex");
      const env = childEnv({
        NODE_ENV: "production",
        PUBLIC_URL: origin,
        ALLOW_INSECURE_PUBLIC_URL: "1",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATA_DIR: join(installDir, ".data"),
        AUTH_SECRET: secret(),
        TOKEN_ENCRYPTION_KEY: secret(),
        TOKEN_HASH_KEY: secret(),
        LOG_LEVEL: "info",
      });
      // The operator commands' bundle loads (every import resolves) and answers.
      const usage = await run(process.execPath, ["dist/server/cli.js", "clients", "--help"], { cwd: installDir, env, timeoutMs: 30_000 });
      expect(usage, usage.output).toMatchObject({ code: 0, output: expect.stringContaining("clients add --id ID") });

      const child = spawn(process.execPath, [...HEAP_FLAGS, "dist/server/main.js"], { cwd: installDir, env, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`not listening after 90 s:\n${output}`)), 90_000);
          const onData = (d: Buffer) => {
            output += d.toString();
            if (output.includes("Swubase Link listening on")) {
              clearTimeout(timer);
              resolve();
            }
          };
          child.stdout.on("data", onData);
          child.stderr.on("data", onData);
          void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`exited (${code}) before listening:\n${output}`));
          });
        });
        expect(output).not.toMatch(/no web build|older than its sources/);

        const page = await fetch(`${origin}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/text\/html/);
        const html = await page.text();
        const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
        expect(script, html).toBeDefined();
        const asset = await fetch(new URL(script!, origin));
        expect(asset.status).toBe(200);
        expect(asset.headers.get("content-type")).toMatch(/javascript/);

        const health = await fetch(`${origin}/api/health`);
        expect(await health.json()).toEqual({ status: "ok" });
        expect((await fetch(`${origin}/api/ready`)).status).toBe(200); // migrations applied from the install's drizzle/
        const metadata = await fetch(`${origin}/.well-known/oauth-authorization-server`);
        expect(metadata.status).toBe(200);
        expect(((await metadata.json()) as { issuer: string }).issuer).toBe(origin);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited, output).toBe(0);
      timings.served = lap();
      console.log(`[production-install] seconds: ${JSON.stringify(timings)}`);
    },
    300_000,
  );
});
