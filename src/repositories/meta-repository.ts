/**
 * SQL for the meta across players (drizzle/0011): the refresh job's chunk rewrites and state,
 * and the reads of GET /api/meta/*.
 *
 * meta_daily holds, per chunk of META_CHUNK_SIZE consecutive game ids, UTC day, format, kind
 * (leader or base) and card, the results of the attributed seats (user_id set) of players who
 * have not opted out. A chunk is rewritten whole from game_seat's primary key (game_id, seat):
 * one range scan, no index that ingest would have to maintain. Readers sum over the chunks.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { MetaKind } from "../db/schema.js";
import { rowsOf } from "./rows.js";
import type { Tally } from "./stats-repository.js";

/** Game ids per chunk; drizzle/0011's triggers divide by the same number. */
export const META_CHUNK_SIZE = 10_000;

export const chunkOf = (gameId: number) => Math.floor(gameId / META_CHUNK_SIZE);

export interface MetaRefreshState {
  countedUpTo: number;
  settledUpTo: number;
  pendingUpTo: number;
  pendingSince: Date | null;
  sweepNext: number;
  refreshedAt: Date | null;
}

/** Which games a meta read counts: UTC days `from` inclusive, `until` exclusive (YYYY-MM-DD). */
export interface MetaFilter {
  format?: string | undefined;
  from?: string | undefined;
  until?: string | undefined;
}

export interface MetaRow extends Tally {
  cardId: string;
}

const num = (v: unknown) => Number(v ?? 0);

export function metaRepository(db: Db) {
  const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));

  return {
    async state(): Promise<MetaRefreshState> {
      const [row] = await rows<Record<string, unknown>>(sql`
        select counted_up_to::text as "countedUpTo", settled_up_to::text as "settledUpTo", pending_up_to::text as "pendingUpTo",
               pending_since as "pendingSince", sweep_next::text as "sweepNext", refreshed_at as "refreshedAt"
        from meta_refresh`);
      const date = (v: unknown) => (v == null ? null : new Date(v as string | Date));
      return {
        countedUpTo: num(row?.countedUpTo),
        settledUpTo: num(row?.settledUpTo),
        pendingUpTo: num(row?.pendingUpTo),
        pendingSince: date(row?.pendingSince),
        sweepNext: num(row?.sweepNext),
        refreshedAt: date(row?.refreshedAt),
      };
    },

    /** The run's progress. Counters never go back (two instances running at once both make progress). */
    async saveState(s: Omit<MetaRefreshState, "refreshedAt">, refreshedAt: Date): Promise<void> {
      await db.execute(sql`
        update meta_refresh set
          counted_up_to = greatest(counted_up_to, ${s.countedUpTo}::bigint),
          settled_up_to = greatest(settled_up_to, ${s.settledUpTo}::bigint),
          pending_up_to = ${s.pendingUpTo}::bigint,
          pending_since = ${s.pendingSince ? s.pendingSince.toISOString() : null}::timestamptz,
          sweep_next = ${s.sweepNext}::bigint,
          refreshed_at = ${refreshedAt.toISOString()}::timestamptz`);
    },

    /** The newest game id (0 without games): the primary key's last entry. */
    async newestGameId(): Promise<number> {
      const [row] = await rows<{ id: unknown }>(sql`select coalesce(max(id), 0)::text as id from game`);
      return num(row?.id);
    },

    /** The oldest chunks marked for rewriting, at most `limit`. */
    async dirtyChunks(limit: number): Promise<number[]> {
      const marked = await rows<{ chunk: unknown }>(sql`select chunk::text as chunk from meta_dirty_chunk order by chunk limit ${limit}`);
      return marked.map((r) => num(r.chunk));
    },

    /**
     * Rewrites one chunk: its mark and rows go, and its rows are computed again from the seats,
     * in one transaction. The meta_refresh row is locked first, so rewrites by two instances
     * never interleave. The mark is deleted before the seats are read (each statement sees what
     * committed before it began): a change that commits later either is read or leaves its mark.
     * Returns how many rows the chunk now has.
     */
    async rewriteChunk(chunk: number): Promise<number> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from meta_refresh for update`);
        await tx.execute(sql`delete from meta_dirty_chunk where chunk = ${chunk}::bigint`);
        await tx.execute(sql`delete from meta_daily where chunk = ${chunk}::bigint`);
        const written = rowsOf<{ n: number }>(
          await tx.execute(sql`
            with counted as (
              insert into meta_daily (chunk, day, format, kind, card_id, games, wins, losses, draws)
              select ${chunk}::bigint, (s.finished_at at time zone 'UTC')::date, s.format, k.kind, k.card_id,
                     count(*), count(*) filter (where s.result = 'win'), count(*) filter (where s.result = 'loss'),
                     count(*) filter (where s.result = 'draw')
              from game_seat s
              cross join lateral (values ('leader', s.leader), ('base', s.base)) as k(kind, card_id)
              where s.game_id >= ${chunk * META_CHUNK_SIZE}::bigint and s.game_id < ${(chunk + 1) * META_CHUNK_SIZE}::bigint
                and s.user_id is not null
                and not exists (select 1 from user_profile p where p.user_id = s.user_id and p.meta_opt_out)
              group by 2, 3, 4, 5
              returning 1
            )
            select count(*)::int as n from counted`),
        );
        return written[0]?.n ?? 0;
      });
    },

    /** Results by leader or base over the filter, only cards with at least `minGames` games; most played first. */
    tallies(kind: MetaKind, f: MetaFilter, minGames: number) {
      const parts = [sql`kind = ${kind}`];
      if (f.format !== undefined) parts.push(sql`format = ${f.format}`);
      if (f.from !== undefined) parts.push(sql`day >= ${f.from}::date`);
      if (f.until !== undefined) parts.push(sql`day < ${f.until}::date`);
      return rows<MetaRow>(sql`
        select card_id as "cardId", sum(games)::int as "games", sum(wins)::int as "wins", sum(losses)::int as "losses", sum(draws)::int as "draws"
        from meta_daily where ${sql.join(parts, sql` and `)}
        group by card_id having sum(games) >= ${minGames}
        order by "games" desc, "wins" desc, card_id`);
    },
  };
}

export type MetaRepository = ReturnType<typeof metaRepository>;
