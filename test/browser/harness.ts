/**
 * Shared set-up for the browser suites: a real server (own port, own PGlite data directory)
 * serving the built web app, and headless chromium driven by playwright-core.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { loadConfig, type Config } from "../../src/config.js";
import { ensureWebBuild, PROJECT_ROOT } from "../../src/server/build-web.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { startServer, type RunningServer } from "../../src/server/start.js";

const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping browser tests: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A port that was free a moment ago (better-auth checks Origin against PUBLIC_URL, so we need it up front). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const BUILD_LOCK = join(PROJECT_ROOT, "dist", ".web-build.lock");
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Browser suites run in parallel processes; only one may build dist/web at a time (a build
 * empties the directory another suite may be serving). The lock is a directory: mkdir is atomic.
 */
async function ensureWebBuildExclusive(logger: Logger): Promise<string> {
  mkdirSync(join(PROJECT_ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await ensureWebBuild(logger);
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface Harness {
  baseUrl: string;
  /** The configuration the server runs with (e.g. to build services over `server.database`). */
  config: Config;
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the web app if stale, starts the server and chromium. `env` adds configuration. */
export async function startHarness(env: (baseUrl: string) => Record<string, string> = () => ({})): Promise<Harness> {
  const logger = createLogger({ level: "silent" });
  const webRoot = await ensureWebBuildExclusive(logger);
  const dataDir = await mkdtemp(join(tmpdir(), "swl-browser-"));
  let server: RunningServer | undefined;
  try {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      TOKEN_HASH_KEY: randomBytes(32).toString("hex"),
      LOG_LEVEL: "silent",
      ...env(baseUrl),
    });
    server = await startServer({ config, logger, webRoot });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const running = server;
    return {
      baseUrl,
      config,
      server: running,
      browser,
      async close() {
        await browser.close();
        await running.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export function newUser(): TestUser {
  const id = randomBytes(6).toString("hex");
  return { name: `Rey ${id}`, email: `rey-${id}@example.com`, password: "correct horse battery" };
}

export async function signUp(page: Page, user: TestUser) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Fills and submits the sign-in form on the current page. */
export async function submitSignIn(page: Page, user: TestUser) {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).first().waitFor();
}

/** The path and query of the current page, exactly as in the address bar. */
export function pathAndQuery(page: Page): Promise<string> {
  return page.evaluate(() => window.location.pathname + window.location.search);
}
