/**
 * SQL for the export parts of seats stored before drizzle/0013 (the statistics job writes them:
 * src/domain/stats/export-pieces-backfill.ts). The job reads a batch of attributed seats without
 * parts through game_seat_export_todo_idx, writes their parts in TypeScript, and stores them with
 * the seat's copy of the game's match facts in one statement.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { SeatResult } from "../db/schema.js";
import type { ExportPieces } from "./game-repository.js";
import { rowsOf } from "./rows.js";

/** A seat without export parts, with what they are written from (times as seconds since 1970, exact to the microsecond). */
export interface SeatToExport {
  gameRowId: number;
  seat: number;
  finishedAtSeconds: number;
  startedAtSeconds: number;
  gameFinishedAtSeconds: number;
  format: string;
  lobbyId: string | null;
  deckId: string | null;
  deckName: string | null;
  result: SeatResult;
  rounds: number | null;
  gameId: string;
}

export function exportPiecesRepository(db: Db) {
  return {
    /** At most `limit` attributed seats without parts, oldest game first. */
    async seatsWithoutPieces(limit: number): Promise<SeatToExport[]> {
      return rowsOf<SeatToExport>(
        await db.execute(sql`
          select s.game_id::float8 as "gameRowId", s.seat, date_part('epoch', s.finished_at) as "finishedAtSeconds",
                 date_part('epoch', g.started_at) as "startedAtSeconds", date_part('epoch', g.finished_at) as "gameFinishedAtSeconds",
                 s.format, g.lobby_id as "lobbyId", s.deck_id as "deckId", s.deck_name as "deckName", s.result,
                 g.round_number as "rounds", g.game_id as "gameId"
          from game_seat s join game g on g.id = s.game_id
          where s.user_id is not null and s.export_csv_lead is null
          order by s.game_id, s.seat
          limit ${limit}`),
      );
    },

    /** Stores the seats' parts and their copy of the game's match facts; returns how many seats it wrote. */
    async storePieces(seats: readonly { gameRowId: number; seat: number; pieces: ExportPieces }[]): Promise<number> {
      if (seats.length === 0) return 0;
      const input = JSON.stringify(
        seats.map(({ gameRowId, seat, pieces: p }) => ({
          game_id: gameRowId,
          seat,
          csv_lead: p.csvLead,
          csv_deck: p.csvDeck,
          csv_end: p.csvEnd,
          json_lead: p.jsonLead,
          json_deck: p.jsonDeck,
          json_end: p.jsonEnd,
        })),
      );
      const written = rowsOf<{ n: number }>(
        await db.execute(sql`
          with input as (
            select * from json_to_recordset(${input}::json) as v(game_id bigint, seat smallint, csv_lead text, csv_deck text, csv_end text,
                                                                json_lead text, json_deck text, json_end text)
          ), updated as (
            update game_seat s
            set client_id = g.client_id, lobby_id = g.lobby_id, partner_game_id = g.game_id, sequence_number = g.sequence_number,
                started_at = g.started_at, export_csv_lead = v.csv_lead, export_csv_deck = v.csv_deck, export_csv_end = v.csv_end,
                export_json_lead = v.json_lead, export_json_deck = v.json_deck, export_json_end = v.json_end
            from input v join game g on g.id = v.game_id
            where s.game_id = v.game_id and s.seat = v.seat
            returning 1
          )
          select count(*)::int as n from updated`),
      );
      return written[0]?.n ?? 0;
    },
  };
}

export type ExportPiecesRepository = ReturnType<typeof exportPiecesRepository>;
