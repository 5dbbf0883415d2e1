/**
 * SQL for public profiles (user_profile, drizzle/0011): a user's handle and choices, and the
 * lookup of a public handle. A user without a row has no handle, private statistics and counts
 * in the meta.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { META_CHUNK_SIZE } from "./meta-repository.js";
import { rowsOf } from "./rows.js";

export interface ProfileRow {
  handle: string | null;
  publicStats: boolean;
  metaOptOut: boolean;
}

/** The fields to change; the others keep their value. `handle: null` clears the handle and turns public statistics off. */
export interface ProfileChange {
  handle?: string | null | undefined;
  publicStats?: boolean | undefined;
  metaOptOut?: boolean | undefined;
}

export type ProfileSaveOutcome = { saved: true; profile: ProfileRow } | { saved: false; reason: "handle_taken" };

const DEFAULT_PROFILE: ProfileRow = { handle: null, publicStats: false, metaOptOut: false };

/** PostgreSQL's unique_violation, from postgres.js or PGlite, possibly wrapped by drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}

const PROFILE_COLUMNS = sql`handle, public_stats as "publicStats", meta_opt_out as "metaOptOut"`;

export function profileRepository(db: Db) {
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query));

  return {
    async get(userId: string): Promise<ProfileRow> {
      const [row] = await rows<ProfileRow>(sql`select ${PROFILE_COLUMNS} from user_profile where user_id = ${userId}`);
      return row ?? DEFAULT_PROFILE;
    },

    /**
     * Creates or changes the user's profile in one statement. When the meta opt-out changes, the
     * chunks of the user's attributed games are marked for the next meta refresh in the same
     * statement (an upsert, so a refresh rewriting one of them meanwhile either sees this change
     * or leaves the mark for the next run). A handle another user holds (in any case) is refused.
     */
    async save(userId: string, change: ProfileChange, now: Date): Promise<ProfileSaveOutcome> {
      const handle = change.handle ?? null;
      const clearHandle = change.handle === null;
      // Public statistics without a handle could not be reached, and would go public again under the next handle.
      const publicStats = clearHandle ? false : (change.publicStats ?? null);
      const metaOptOut = change.metaOptOut ?? null;
      const at = now.toISOString();
      try {
        const [row] = await rows<ProfileRow>(sql`
          with old as (
            select meta_opt_out from user_profile where user_id = ${userId}
          ), saved as (
            insert into user_profile as p (user_id, handle, public_stats, meta_opt_out, updated_at)
            values (${userId}, ${handle}::text, coalesce(${publicStats}::boolean, false), coalesce(${metaOptOut}::boolean, false), ${at}::timestamptz)
            on conflict (user_id) do update set
              handle = case when ${clearHandle}::boolean then null else coalesce(${handle}::text, p.handle) end,
              public_stats = coalesce(${publicStats}::boolean, p.public_stats),
              meta_opt_out = coalesce(${metaOptOut}::boolean, p.meta_opt_out),
              updated_at = ${at}::timestamptz
            returning handle, public_stats, meta_opt_out
          ), marked as (
            insert into meta_dirty_chunk (chunk, marked_at)
            select distinct s.game_id / ${sql.raw(String(META_CHUNK_SIZE))}, ${at}::timestamptz from game_seat s
            where s.user_id = ${userId}
              and (select meta_opt_out from saved) is distinct from coalesce((select meta_opt_out from old), false)
            on conflict (chunk) do update set marked_at = excluded.marked_at
          )
          select ${PROFILE_COLUMNS} from saved`);
        return { saved: true, profile: row! };
      } catch (err) {
        if (isUniqueViolation(err)) return { saved: false, reason: "handle_taken" };
        throw err;
      }
    },

    /** The user behind a handle (any case) whose statistics are public; null otherwise. */
    async findPublic(handle: string): Promise<{ userId: string; handle: string } | null> {
      const [row] = await rows<{ userId: string; handle: string }>(sql`
        select user_id as "userId", handle from user_profile
        where lower(handle) = lower(${handle}) and public_stats`);
      return row ?? null;
    },
  };
}

export type ProfileRepository = ReturnType<typeof profileRepository>;
