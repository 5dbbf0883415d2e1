/** Builds the real app against a test database, with fixed secrets and a movable clock. */
import { Writable } from "node:stream";
import { loadConfig, type Config } from "../../src/config.js";
import { createApp } from "../../src/server/app.js";
import { buildAppDeps } from "../../src/server/app-deps.js";
import type { AppDeps } from "../../src/server/app-env.js";
import { createLogger } from "../../src/logger.js";
import type { Database } from "../../src/db/database.js";
import type { Redis } from "ioredis";

export const TEST_ORIGIN = "http://localhost:3000";

export const TEST_ENV = {
  NODE_ENV: "test",
  PUBLIC_URL: TEST_ORIGIN,
  AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
  TOKEN_ENCRYPTION_KEY: "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0",
  TOKEN_HASH_KEY: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
  LOG_LEVEL: "info",
  // Suites approve many links as one user; test/integration/rate-limits.test.ts checks the real budgets.
  RATE_LIMIT_LINK_CREATE_PER_MINUTE: "100000",
  RATE_LIMIT_SIGN_UP_PER_HOUR: "100000",
  RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_15_MINUTES: "100000",
} as const;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...overrides });
}

/** A clock the test moves by hand. */
export function fakeClock(start = new Date("2026-11-25T12:00:00Z")) {
  let now = start.getTime();
  const clock = () => new Date(now);
  clock.advance = (seconds: number) => {
    now += seconds * 1000;
  };
  return clock;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  /** Every log line written so far (JSON text). */
  logs: string[];
}

export function buildTestApp(
  database: Database,
  options: {
    env?: Record<string, string>;
    clock?: () => Date;
    /** Keep rate-limit counters in this Redis (as REDIS_URL does) instead of the database. */
    redis?: Redis | undefined;
  } = {},
): TestApp {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = testConfig(options.env);
  const logger = createLogger({ level: config.logLevel, destination: sink });
  const deps = buildAppDeps({ config, database, logger, clock: options.clock, redis: options.redis, logAuditErrors: false });
  return { app: createApp(deps), deps, logs };
}

/** Signs up a user through better-auth's endpoint and returns the session cookie header. */
export async function signUp(
  app: TestApp["app"],
  user: { email: string; password?: string; name?: string },
): Promise<{ cookie: string; userId: string }> {
  const res = await app.request("/api/auth/sign-up/email", {
    method: "POST",
    headers: { "content-type": "application/json", origin: TEST_ORIGIN },
    body: JSON.stringify({ email: user.email, password: user.password ?? "correct horse battery", name: user.name ?? "Test Player" }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, userId: body.user.id };
}

/** app.request's third argument for a request from TCP peer `address`, as @hono/node-server passes the socket. */
export function fromPeer(address: string) {
  return { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(":") ? "IPv6" : "IPv4" } } };
}
