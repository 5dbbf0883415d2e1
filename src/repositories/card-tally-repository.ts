/**
 * SQL of the card tallies' fold job (drizzle/0012, src/db/schema-stats.ts): count a range of game
 * ids into user_card_tally, and count a marked user's tallies again. The readers are in
 * stats-breakdown-repository.ts.
 *
 * Every write locks card_tally_state's one row first and reads `folded_up_to` under that lock, so
 * two instances running the job never count a game twice: the second waits, then sees the first's
 * new `folded_up_to`. Each write is one transaction with the state it moves, so a reader (one
 * statement, one snapshot) sees the tallies and `folded_up_to` that go together.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { rowsOf } from "./rows.js";

const num = (v: unknown) => Number(v ?? 0);

/** The attributed seats matching `where` (on `s`), counted per tally key by card_tally_counts (the rule, once). */
const countedSeats = (where: SQL) => sql`
  select s.user_id, s.format, s.leader, coalesce(s.deck_id, ''), x.card_id, s.result,
         count(*), sum(x.drawn), sum(x.not_drawn), sum(x.played), sum(x.resourced)
  from game_seat s
  join game_card_metrics c on c.game_id = s.game_id and c.seat = s.seat
  cross join lateral card_tally_counts(c.card_ids, c.drawn, c.played, c.resourced, s.leader, s.base) as x
  where ${where} and s.user_id is not null
  group by 1, 2, 3, 4, 5, 6`;

const TALLY_COLUMNS = sql.raw(`user_id, format, leader, deck_id, card_id, result, games, drawn, not_drawn, played, resourced`);

export function cardTallyRepository(db: Db) {
  return {
    /**
     * Counts the games with ids above `folded_up_to`, at most `maxIds` of them and none above
     * `upTo`, into the tallies, and moves `folded_up_to`. The seats come by primary-key range
     * (game_seat's (game_id, seat)): no index that ingest would maintain. Returns the new
     * `folded_up_to`.
     */
    async fold(upTo: number, maxIds: number): Promise<number> {
      return db.transaction(async (tx) => {
        const [state] = rowsOf<{ foldedUpTo: unknown }>(await tx.execute(sql`select folded_up_to::text as "foldedUpTo" from card_tally_state for update`));
        const from = num(state?.foldedUpTo);
        const to = Math.min(upTo, from + maxIds);
        if (to <= from) return from;
        await tx.execute(sql`
          insert into user_card_tally as t (${TALLY_COLUMNS})
          ${countedSeats(sql`s.game_id > ${from}::bigint and s.game_id <= ${to}::bigint`)}
          on conflict on constraint user_card_tally_pk do update set
            games = t.games + excluded.games, drawn = t.drawn + excluded.drawn, not_drawn = t.not_drawn + excluded.not_drawn,
            played = t.played + excluded.played, resourced = t.resourced + excluded.resourced`);
        await tx.execute(sql`update card_tally_state set folded_up_to = ${to}::bigint, folded_at = now()`);
        return to;
      });
    },

    /** The users marked since their games were deleted, oldest mark first, at most `limit`. */
    async markedUsers(limit: number): Promise<string[]> {
      const marked = rowsOf<{ userId: string }>(await db.execute(sql`select user_id as "userId" from card_tally_dirty_user order by marked_at, user_id limit ${limit}`));
      return marked.map((r) => r.userId);
    },

    /**
     * Counts one user's tallies again from their seats up to `folded_up_to`, and removes their
     * mark, in one transaction. The mark goes before the seats are read (each statement sees what
     * committed before it began): a deletion that commits later either is read or marks again.
     */
    async recountUser(userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const [state] = rowsOf<{ foldedUpTo: unknown }>(await tx.execute(sql`select folded_up_to::text as "foldedUpTo" from card_tally_state for update`));
        await tx.execute(sql`delete from card_tally_dirty_user where user_id = ${userId}`);
        await tx.execute(sql`delete from user_card_tally where user_id = ${userId}`);
        await tx.execute(sql`
          insert into user_card_tally (${TALLY_COLUMNS})
          ${countedSeats(sql`s.user_id = ${userId} and s.game_id <= ${num(state?.foldedUpTo)}::bigint`)}`);
      });
    },
  };
}

export type CardTallyRepository = ReturnType<typeof cardTallyRepository>;
