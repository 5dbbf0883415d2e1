/**
 * Redis for the rate-limit suites: TEST_REDIS_URL (or REDIS_URL) when set, e.g.
 * redis://127.0.0.1:6379 (CI starts one: .ci/run). Each suite gets its own key prefix and
 * deletes its keys afterwards, so runs sharing one Redis never see each other's counters.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { connectRedis } from "../../src/server/rate-limit/redis.js";
import { databaseKinds, type DatabaseKind } from "./databases.js";

// eslint-disable-next-line no-restricted-properties -- tests read their own switches
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || undefined;

export type LimiterStore = "database" | "redis";

/** Where rate-limit suites run: the database store on every database kind, and Redis (on PGlite) when TEST_REDIS_URL is set. */
export const limiterSuites: { kind: DatabaseKind; store: LimiterStore }[] = [
  ...databaseKinds.map((kind) => ({ kind, store: "database" as const })),
  ...(TEST_REDIS_URL ? [{ kind: "pglite" as const, store: "redis" as const }] : []),
];

if (!TEST_REDIS_URL) console.warn("TEST_REDIS_URL (or REDIS_URL) is not set: rate-limit suites run on the database store only, not on Redis");

/** A key prefix no other run uses. */
export const uniqueRedisPrefix = () => `swl-test:${randomBytes(6).toString("hex")}:`;

/** Deletes every key under `prefix` (SCAN patterns are not prefixed by ioredis: an unprefixed client); returns how many. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    let deleted = 0;
    for await (const keys of admin.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await admin.del(...keys);
    }
    return deleted;
  } finally {
    admin.disconnect();
  }
}

/** Counts keys under `prefix`. */
export async function countRedisKeys(url: string, prefix: string): Promise<number> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    let count = 0;
    for await (const keys of admin.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) count += keys.length;
    return count;
  } finally {
    admin.disconnect();
  }
}

/**
 * Inside a suite's `describe`: for the Redis store, a connection (the server's own connectRedis)
 * with a fresh key prefix, opened before the suite and its keys deleted after it. `redis` stays
 * undefined for the database store (buildTestApp then keeps counters in the database).
 */
export function suiteRedis(store: LimiterStore): { redis: Redis | undefined; prefix: string } {
  const holder: { redis: Redis | undefined; prefix: string } = { redis: undefined, prefix: uniqueRedisPrefix() };
  if (store !== "redis") return holder;
  beforeAll(async () => {
    holder.redis = await connectRedis({ url: TEST_REDIS_URL!, keyPrefix: holder.prefix });
  });
  afterAll(async () => {
    holder.redis?.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL!, holder.prefix);
  });
  return holder;
}
