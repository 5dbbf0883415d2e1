/**
 * `npm run build`: the web app (Vite → dist/web), the server (esbuild → dist/server/main.js) and
 * the operator commands (dist/server/cli.js).
 * `npm start` runs `tsx scripts/build.ts --if-stale` first, which builds only what is missing or
 * older than its sources, and then `node ${HEAP_FLAGS} dist/server/main.js`: plain node, no tsx
 * loader in the server process (tsx's module-hooks thread, esbuild and the transformed sources
 * cost ~100 MB before the first request).
 *
 * The server bundle is one ES module: src/ (and bench/server.ts for the benchmarks) bundled,
 * every package left external and resolved from node_modules at run time, as tsx did. PGlite in
 * particular must stay external: it loads its wasm and data files relative to its own package.
 * Source files that locate files with `import.meta.url` (migrations, the card catalogue, the
 * project root) keep their meaning: in the bundle, each file's `import.meta.url` is rewritten to
 * the URL of its source file, computed relative to the bundle, so the bundle works wherever the
 * project is checked out, as long as it stays inside it (packages resolve from its node_modules).
 *
 * A production install needs no build tools: build where the dev dependencies are (`npm ci`,
 * `npm run build`), then RUNTIME_FILES with `npm ci --omit=dev --omit=optional` (or `npm prune`
 * with the same flags) and `npm run serve` (plain node, the same heap flags). Bundles import only
 * `dependencies` (test/integration/production-install.test.ts checks, and boots such an install).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { webBuildIsStale } from "../src/server/build-web.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SERVER_ENTRY = join(ROOT, "src/main.ts");
export const SERVER_BUNDLE = join(ROOT, "dist/server/main.js");
export const CLI_ENTRY = join(ROOT, "src/cli/main.ts");
export const CLI_BUNDLE = join(ROOT, "dist/server/cli.js");
/** What a production install holds besides node_modules: the builds, what they read at run time, and what `npm ci` needs. */
export const RUNTIME_FILES = ["dist/server", "dist/web", "drizzle", "data", "package.json", "package-lock.json", "patches"];
/**
 * V8 flags of the production server (package.json "start" passes the same; a test checks).
 * Without them V8 lets garbage pile up towards its default limit (~2–4 GB) before a major GC.
 */
export const HEAP_FLAGS = ["--max-old-space-size=128", "--max-semi-space-size=8"];

/** Besides the bundle's own inputs (listed in its metafile), a change here makes it stale. */
const BUILD_INPUTS = ["scripts/build.ts", "package.json", "package-lock.json"];

/** Rewrites `import.meta.url` in project sources to their own URL, computed from the bundle's location. */
function sourceUrlPlugin(outdir: string): Plugin {
  return {
    name: "source-import-meta-url",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        const fromBundle = relative(outdir, args.path).split(sep).join("/");
        const ext = extname(args.path);
        return {
          contents: source.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
          loader: ext.endsWith("x") ? (ext.includes("t") ? "tsx" : "jsx") : ext.includes("t") ? "ts" : "js",
        };
      });
    },
  };
}

const metaFile = (outfile: string) => `${outfile}.meta.json`;

/**
 * Bundles `entry` into `outfile` (an ES module; `outfile` must be inside the project so the
 * external packages resolve). Files are written under temporary names and renamed, so a server
 * starting meanwhile (another `npm start`, a benchmark) never reads half a bundle.
 */
export async function bundleServer(options: { entry?: string; outfile?: string } = {}): Promise<{ outfile: string; bytes: number; ms: number }> {
  const entry = options.entry ?? SERVER_ENTRY;
  const outfile = options.outfile ?? SERVER_BUNDLE;
  const started = performance.now();
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [sourceUrlPlugin(dirname(outfile))],
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const files = [...result.outputFiles.map((f) => ({ path: f.path, contents: f.contents as Uint8Array | string })), { path: metaFile(outfile), contents: JSON.stringify({ inputs: Object.keys(result.metafile.inputs) }) }];
  // The bundle last: its mtime is the build's time for bundleIsStale().
  files.sort((a, b) => Number(a.path === outfile) - Number(b.path === outfile));
  for (const file of files) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return { outfile, bytes: statSync(outfile).size, ms: performance.now() - started };
}

/** True when the bundle is missing or any of its inputs (or the build's own inputs) changed after it was built. */
export function bundleIsStale(outfile = SERVER_BUNDLE): boolean {
  if (!existsSync(outfile) || !existsSync(metaFile(outfile))) return true;
  const builtAt = statSync(outfile).mtimeMs;
  let inputs: string[];
  try {
    inputs = (JSON.parse(readFileSync(metaFile(outfile), "utf8")) as { inputs: string[] }).inputs;
  } catch {
    return true;
  }
  return [...inputs, ...BUILD_INPUTS].some((p) => {
    const path = join(ROOT, p);
    return !existsSync(path) || statSync(path).mtimeMs > builtAt;
  });
}

/** Vite's production build of src/web into dist/web (vite.config.ts), or into `outDir`. */
export async function buildWeb(outDir?: string): Promise<number> {
  const started = performance.now();
  const { build } = await import("vite");
  await build({ root: ROOT, logLevel: "warn", configFile: join(ROOT, "vite.config.ts"), ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}) });
  return performance.now() - started;
}

async function main(argv: string[]) {
  const ifStale = argv.includes("--if-stale");
  const unknown = argv.filter((a) => a !== "--if-stale");
  if (unknown.length) {
    console.error(`usage: tsx scripts/build.ts [--if-stale]   (unknown: ${unknown.join(" ")})`);
    process.exit(2);
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (!ifStale || webBuildIsStale()) {
    console.log(`build: web app → dist/web${ifStale ? " (missing or stale)" : ""}...`);
    console.log(`build: web app built in ${seconds(await buildWeb())}`);
  }
  // After the web build: it regenerates src/web/routeTree.gen.ts, which the server does not import.
  for (const [entry, outfile] of [
    [SERVER_ENTRY, SERVER_BUNDLE],
    [CLI_ENTRY, CLI_BUNDLE],
  ] as const) {
    if (ifStale && !bundleIsStale(outfile)) continue;
    const { bytes, ms } = await bundleServer({ entry, outfile });
    console.log(`build: ${relative(ROOT, entry)} → ${relative(ROOT, outfile)} (${(bytes / 1024).toFixed(0)} kB) in ${seconds(ms)}${ifStale ? " (was missing or stale)" : ""}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error("build failed:", err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
