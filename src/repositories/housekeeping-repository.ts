/**
 * SQL that deletes what has expired, one bounded batch per call: each statement locks at most
 * `limit` rows (picked with SKIP LOCKED, so several instances pruning at once never wait on each
 * other and never hold a long lock), and the caller repeats while whole batches come back.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { rowsOf } from "./rows.js";

/** The kinds of rows housekeeping prunes. */
export type PrunedKind = "retiredTokens" | "expiredPendingLinks" | "expiredRateLimits";

/** `delete … where ctid in (up to limit rows matching where)`; returns how many went. */
function deleteBatch(table: string, where: SQL, limit: number): SQL {
  const name = sql.raw(`"${table}"`);
  return sql`
    with doomed as (select ctid from ${name} where ${where} limit ${limit} for update skip locked),
    deleted as (delete from ${name} where ctid in (select ctid from doomed) returning 1)
    select count(*)::int as n from deleted`;
}

export function housekeepingRepository(db: Db) {
  const run = async (statement: SQL) => rowsOf<{ n: number }>(await db.execute(statement))[0]?.n ?? 0;

  return {
    /**
     * Rotated-away pairs whose refresh token (and so the access token issued with it, which lives
     * far shorter) expired: rotated before `retiredBefore` = now − the refresh-token lifetime.
     */
    pruneRetiredTokens(retiredBefore: Date, limit: number): Promise<number> {
      return run(deleteBatch("retired_refresh_token", sql`retired_at < ${retiredBefore.toISOString()}::timestamptz`, limit));
    },

    /** Approvals never confirmed whose link token expired before `expiredBefore`. */
    pruneExpiredPendingLinks(expiredBefore: Date, limit: number): Promise<number> {
      return run(
        deleteBatch("user_integration", sql`status = 'pending' and link_token_expires_at < ${expiredBefore.toISOString()}::timestamptz`, limit),
      );
    },

    /** Rate-limit counters past their window (rate-limiter-flexible's own sweep is unbounded and switched off). */
    pruneExpiredRateLimits(now: Date, limit: number): Promise<number> {
      return run(deleteBatch("rate_limit", sql`expire < ${now.toISOString()}::timestamptz`, limit));
    },
  };
}

export type HousekeepingRepository = ReturnType<typeof housekeepingRepository>;
