/**
 * The production path of `npm start`: src/main.ts bundled by scripts/build.ts and run by plain
 * node with the heap flags. Builds into a temporary folder under dist/ (inside the project, so
 * the external packages resolve), boots it on a random port with an embedded database in a
 * temporary DATA_DIR, and checks that it answers, found its migrations, and stops on SIGTERM.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleServer, HEAP_FLAGS, ROOT } from "../../scripts/build.js";

const outdir = (() => {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  return mkdtempSync(join(ROOT, "dist", "start-build-test-"));
})();
const dataDir = mkdtempSync(join(tmpdir(), "swl-start-build-"));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start's build", () => {
  it("package.json's start script runs the bundle with the heap flags, after a build of what is stale", () => {
    const start = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toBe(`tsx scripts/build.ts --if-stale && exec node ${HEAP_FLAGS.join(" ")} dist/server/main.js`);
  });

  it("bundles src/main.ts, whose file lookups (migrations, card catalogue, project root) resolve from the bundle, and boots it", async () => {
    const { outfile } = await bundleServer({ outfile: join(outdir, "main.js") });
    const bundle = readFileSync(outfile, "utf8");
    expect(bundle).not.toMatch(/from "\.\.?\//); // nothing of src/ left outside the bundle

    // Each source file's import.meta.url is rewritten to its own location: every path computed from one must exist.
    const lookups = [...bundle.matchAll(/new URL\("([^"]+)", new URL\("([^"]+)", import\.meta\.url\)\.href\)/g)].map(([, target, source]) =>
      fileURLToPath(new URL(target!, new URL(source!, pathToFileURL(outfile)))),
    );
    expect(lookups).toEqual(expect.arrayContaining([join(ROOT, "drizzle"), join(ROOT, "data/swu-cards.json"), ROOT]));
    for (const path of lookups) expect(existsSync(path), path).toBe(true);

    const child = spawn(process.execPath, [...HEAP_FLAGS, outfile], {
      cwd: ROOT,
      env: { NODE_ENV: "development", HOST: "127.0.0.1", PORT: "0", PUBLIC_URL: "http://127.0.0.1", DATA_DIR: dataDir, DEMO_PARTNER: "off", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const listening = await new Promise<{ url: string; heapLimitMb: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not listening after 45 s:\n${output}`)), 45_000);
        const onData = (d: Buffer) => {
          output += d.toString();
          for (const line of output.split("\n")) {
            const m = /listening on (http:\/\/\S+)"/.exec(line);
            if (m) {
              clearTimeout(timer);
              resolve({ url: m[1]!, heapLimitMb: (JSON.parse(line) as { heapLimitMb: number }).heapLimitMb });
            }
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`exited (${code}) before listening:\n${output}`));
        });
      });
      expect(listening.heapLimitMb).toBeLessThan(256); // V8's default is ~2–4 GB: the flags took effect

      const health = await fetch(`${listening.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await fetch(`${listening.url}/api/ready`); // migrations applied on PGlite, loaded from its package
      expect(ready.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  }, 60_000);
});
