/**
 * The Redis connection of the rate limits, when REDIS_URL is set. ioredis is loaded only then
 * (a dynamic import), so a deployment without Redis never loads it.
 */
import type { Redis } from "ioredis";

export interface RedisOptions {
  url: string;
  /** Put before every key (REDIS_KEY_PREFIX); applied by ioredis to every command's keys. */
  keyPrefix?: string;
  /** Connection errors after start-up (ioredis reconnects by itself meanwhile). */
  onError?: (err: Error) => void;
}

/** Connects and waits until Redis answers: a start-up with an unreachable REDIS_URL fails, naming it. */
export async function connectRedis(options: RedisOptions): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? "",
    lazyConnect: true,
    connectTimeout: 5000,
    // A command fails at once while the connection is down (no queue that grows during an outage);
    // the limiters then count in this instance's memory (rate-limit/limiters.ts).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 2,
  });
  let connectError: Error | undefined; // connect() itself only says "Connection is closed."
  const onConnectError = (err: Error) => (connectError ??= err);
  redis.on("error", onConnectError);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const why = connectError ?? err;
    throw new Error(`Redis at REDIS_URL is not answering: ${why instanceof Error ? why.message : String(why)}`, { cause: err });
  }
  redis.off("error", onConnectError);
  redis.on("error", (err: Error) => options.onError?.(err));
  return redis;
}
