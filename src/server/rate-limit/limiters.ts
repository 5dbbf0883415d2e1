/**
 * Rate limits (rate-limiter-flexible). Abuse budgets are shared between instances: stored in
 * PostgreSQL/PGlite (Drizzle store) by default, in Redis when REDIS_URL is set (while Redis is
 * unreachable, in each instance's memory, so a request is never failed by it). They are only
 * consumed on the paths they guard (failures, sign-in, link-create), so a well-behaved partner's
 * hot path never waits for them, and the per-address failure budgets are charged only by requests
 * that fail (abuse-guard). The per-client partner budget (500/s plus a reserve of 1,500 refilled
 * every 3 s by default: at most ~1,000/s sustained) is kept in each instance's memory: it is consumed on every partner request and
 * a shared store would add a round trip to each; with N instances a partner may send N× the budget.
 * Blocked keys are also remembered in memory, so a blocked caller costs no store round trip.
 */
import type { Redis } from "ioredis";
import {
  BurstyRateLimiter,
  RateLimiterDrizzle,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { RateLimitConfig } from "../../config.js";
import type { Db } from "../../db/database.js";
import { rateLimit } from "../../db/schema-audit.js";
import { OAuthError } from "../../domain/errors.js";

export type AbuseBudget =
  | "failedAuth"
  | "invalidTokens"
  | "partnerInvalidTokens"
  | "unauthenticated"
  | "linkCreate"
  | "signIn"
  | "signInAddress"
  | "signUp"
  | "publicNotFound";

export interface RateLimits {
  /** Throws 429 when the key is over this budget (memory only: no store round trip). */
  assertNotBlocked(budget: AbuseBudget, key: string): void;
  /** Counts one event; throws 429 when this event exceeds the budget. */
  consume(budget: AbuseBudget, key: string): Promise<void>;
  /** Gives one consumed event back (an attempt that turned out well); never throws. */
  refund(budget: AbuseBudget, key: string): Promise<void>;
  /** The per-client partner budget, consumed on every authenticated partner request. */
  consumePartner(clientId: string): Promise<void>;
}

function tooManyRequests(msBeforeNext: number): OAuthError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new OAuthError("too_many_requests", `Too many requests; retry in ${seconds} s`, 429, { "Retry-After": String(seconds) });
}

/** A limiter's name as metrics report it: an abuse budget, or the per-client partner budget. */
export type LimiterName = AbuseBudget | "partner";

// A record, so that a budget added to AbuseBudget must be named here too (the refusal metric starts each at 0).
const LIMITERS: Record<LimiterName, true> = {
  failedAuth: true,
  invalidTokens: true,
  partnerInvalidTokens: true,
  unauthenticated: true,
  linkCreate: true,
  signIn: true,
  signInAddress: true,
  signUp: true,
  publicNotFound: true,
  partner: true,
};
export const limiterNames = Object.keys(LIMITERS) as LimiterName[];

/** Told of every refusal (429), by limiter (the refusals counter of src/server/metrics). */
export type OnRefused = (limiter: LimiterName) => void;

const ignoreRefusal: OnRefused = () => {};

async function consumeOrThrow(consume: () => Promise<unknown>, name: LimiterName, onRefused: OnRefused) {
  try {
    await consume();
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      onRefused(name);
      throw tooManyRequests(err.msBeforeNext);
    }
    throw err; // the store failed: let the error handler answer (503 when the database is down)
  }
}

/**
 * The per-client ceiling, in this instance's memory: `partnerPerSecond` in each second, plus a
 * reserve of `partnerBurst` refilled every ⌈burst ÷ rate⌉ seconds (a fixed window, so a partner
 * sending flat out gets rate + burst ÷ ⌈burst ÷ rate⌉ per second: 1,000/s by default). Consumed after the client's secret
 * checked out, so only the partner itself (or whoever holds a leaked secret) spends it.
 */
export function createPartnerLimiter(
  config: Pick<RateLimitConfig, "partnerPerSecond" | "partnerBurst">,
  onRefused: OnRefused = ignoreRefusal,
): { consume(clientId: string): Promise<void> } {
  const limiter = new BurstyRateLimiter(
    new RateLimiterMemory({ keyPrefix: "rl:partner", points: config.partnerPerSecond, duration: 1 }),
    new RateLimiterMemory({ keyPrefix: "rl:partner-burst", points: Math.max(config.partnerBurst, 1), duration: Math.max(1, Math.ceil(config.partnerBurst / config.partnerPerSecond)) }),
  );
  return { consume: (clientId) => consumeOrThrow(() => limiter.consume(clientId), "partner", onRefused) };
}

export function createRateLimits(config: RateLimitConfig, store: { db: Db } | { redis: Redis }, onRefused: OnRefused = ignoreRefusal): RateLimits {
  const budgets: Record<AbuseBudget, { points: number; duration: number }> = {
    failedAuth: { points: config.failedAuthPerMinute, duration: 60 },
    invalidTokens: { points: config.invalidTokensPerMinute, duration: 60 },
    partnerInvalidTokens: { points: config.partnerInvalidTokensPerMinute, duration: 60 },
    unauthenticated: { points: config.unauthenticatedPerMinute, duration: 60 },
    linkCreate: { points: config.linkCreatePerMinute, duration: 60 },
    signIn: { points: config.signInPer15Minutes, duration: 15 * 60 },
    signInAddress: { points: config.signInPerAddressPer15Minutes, duration: 15 * 60 },
    signUp: { points: config.signUpPerHour, duration: 3600 },
    publicNotFound: { points: config.publicNotFoundPer15Minutes, duration: 15 * 60 },
  };
  // Store limiters keep blocked keys in memory; the typings do not declare the accessor.
  type StoreLimiter = RateLimiterAbstract & { getInMemoryBlockMsBeforeExpire(rlKey: string): number };
  const limiters = {} as Record<AbuseBudget, StoreLimiter>;
  for (const [name, b] of Object.entries(budgets) as [AbuseBudget, { points: number; duration: number }][]) {
    const common = { keyPrefix: `rl:${name}`, points: b.points, duration: b.duration, inMemoryBlockOnConsumed: b.points, inMemoryBlockDuration: b.duration };
    limiters[name] = (
      "redis" in store
        ? // While Redis is unreachable each instance counts in its own memory (a per-instance budget) instead of failing the request.
          new RateLimiterRedis({ ...common, storeClient: store.redis, insuranceLimiter: new RateLimiterMemory(common) })
        : new RateLimiterDrizzle({ ...common, storeClient: store.db, schema: rateLimit, clearExpiredByTimeout: false })
    ) as unknown as StoreLimiter;
  }
  const partner = createPartnerLimiter(config, onRefused);

  return {
    assertNotBlocked(budget, key) {
      const limiter = limiters[budget];
      const ms = limiter.getInMemoryBlockMsBeforeExpire(limiter.getKey(key));
      if (ms > 0) {
        onRefused(budget);
        throw tooManyRequests(ms);
      }
    },
    consume: (budget, key) => consumeOrThrow(() => limiters[budget].consume(key), budget, onRefused),
    refund: (budget, key) => limiters[budget].reward(key, 1).then(
      () => undefined,
      () => undefined, // the store failed: the point stays counted, which only errs on the safe side
    ),
    consumePartner: (clientId) => partner.consume(clientId),
  };
}
