/**
 * SQL of the export records' job (drizzle/0013, src/db/schema-stats.ts seat_export): write the
 * records of the attributed seats of a range of game ids. The readers are in stats-repository.ts.
 *
 * Every write locks seat_export_state's one row first and reads `exported_up_to` under that lock,
 * so two instances running the job never write a seat twice: the second waits, then sees the
 * first's new `exported_up_to`. The records and the state they move are one transaction, so a
 * reader that read `exported_up_to` finds every record up to it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { rowsOf } from "./rows.js";
import type { ExportRow } from "./stats-repository.js";

/** An attributed seat to write the record of: what its parts are written from (times as seconds since 1970, exact to the microsecond). */
export type SeatToExport = Pick<
  ExportRow,
  "finishedAtSeconds" | "startedAtSeconds" | "gameFinishedAtSeconds" | "format" | "lobbyId" | "deckId" | "deckName" | "result" | "rounds" | "gameId"
>;

/** A record's fixed parts, as CSV fields and as JSON members (src/domain/stats/export-pieces.ts). */
export interface ExportPieces {
  csvLead: string;
  csvDeck: string;
  csvEnd: string;
  jsonLead: string;
  jsonDeck: string;
  jsonEnd: string;
}

const num = (v: unknown) => Number(v ?? 0);

export function seatExportRepository(db: Db) {
  return {
    /**
     * Writes the records of the attributed seats of the games with ids above `exported_up_to`, at
     * most `maxIds` ids and none above `upTo`, their parts from `writeParts`, and moves
     * `exported_up_to`. The seats come by primary-key range (no index that ingest would maintain).
     * Returns the new `exported_up_to` and how many records it wrote.
     */
    async write(upTo: number, maxIds: number, writeParts: (seats: readonly SeatToExport[]) => ExportPieces[]): Promise<{ exportedUpTo: number; written: number }> {
      return db.transaction(async (tx) => {
        const [state] = rowsOf<{ upTo: unknown }>(await tx.execute(sql`select exported_up_to::text as "upTo" from seat_export_state for update`));
        const from = num(state?.upTo);
        const to = Math.min(upTo, from + maxIds);
        if (to <= from) return { exportedUpTo: from, written: 0 };
        const seats = rowsOf<SeatToExport & { gameRowId: number; seat: number }>(
          await tx.execute(sql`
            select s.game_id::float8 as "gameRowId", s.seat, date_part('epoch', s.finished_at) as "finishedAtSeconds",
                   date_part('epoch', g.started_at) as "startedAtSeconds", date_part('epoch', g.finished_at) as "gameFinishedAtSeconds",
                   s.format, g.lobby_id as "lobbyId", s.deck_id as "deckId", s.deck_name as "deckName", s.result,
                   g.round_number as "rounds", g.game_id as "gameId"
            from game_seat s join game g on g.id = s.game_id
            where s.game_id > ${from}::bigint and s.game_id <= ${to}::bigint and s.user_id is not null`),
        );
        let written = 0;
        if (seats.length > 0) {
          const parts = writeParts(seats);
          const input = JSON.stringify(seats.map((s, i) => ({ gameRowId: s.gameRowId, seat: s.seat, ...parts[i] })));
          const [inserted] = rowsOf<{ n: number }>(
            await tx.execute(sql`
              with inserted as (
                insert into seat_export (game_id, seat, user_id, finished_at, format, leader, base, deck_id, opponent_leader, opponent_base,
                                         client_id, lobby_id, partner_game_id, sequence_number, started_at,
                                         csv_lead, csv_deck, csv_end, json_lead, json_deck, json_end)
                select s.game_id, s.seat, s.user_id, s.finished_at, s.format, s.leader, s.base, s.deck_id, s.opponent_leader, s.opponent_base,
                       g.client_id, g.lobby_id, g.game_id, g.sequence_number, g.started_at,
                       p."csvLead", p."csvDeck", p."csvEnd", p."jsonLead", p."jsonDeck", p."jsonEnd"
                from json_to_recordset(${input}::json)
                       as p("gameRowId" bigint, "seat" smallint, "csvLead" text, "csvDeck" text, "csvEnd" text, "jsonLead" text, "jsonDeck" text, "jsonEnd" text)
                join game_seat s on s.game_id = p."gameRowId" and s.seat = p."seat"
                join game g on g.id = s.game_id
                -- game_seat has no foreign key to the user (schema-games.ts): a seat whose user is gone
                -- is left out rather than failing the range, which would stop the job there for good.
                join "user" u on u.id = s.user_id
                returning 1
              )
              select count(*)::int as n from inserted`),
          );
          written = inserted?.n ?? 0;
        }
        await tx.execute(sql`update seat_export_state set exported_up_to = ${to}::bigint, exported_at = now()`);
        return { exportedUpTo: to, written };
      });
    },
  };
}

export type SeatExportRepository = ReturnType<typeof seatExportRepository>;
