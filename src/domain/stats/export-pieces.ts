/**
 * A seat's parts of its export record (GET /api/stats/export), written once by the statistics job
 * into seat_export (drizzle/0013, seat-export-fold.ts), or by the export itself for the games the
 * job has not reached yet.
 *
 * A record is: finishedAt, format, lobbyId | matchId | my leader and base, ids and names | deckId,
 * deckName | the opponent's leader and base | result, rounds, durationSeconds, gameId. Only the
 * match id (it depends on the other games of the lobby and on the export's filter) and the card
 * names (the catalogue, data/swu-cards.json, changes with a release) are not fixed when the game is
 * stored; the three runs of fields between them are, so they are written here as CSV and as JSON
 * text, and the export joins them with the match id and the names (stats-export.ts). Reading three
 * texts per game instead of sixteen values is what makes an export of 10,000 games cheap: the
 * driver's decoding of the values was half its time (bench/results/stats.md).
 *
 * Changing what goes into a part means a migration that empties seat_export and sets
 * seat_export_state.exported_up_to back to 0, so the job writes every record again.
 */
import type { SeatResult } from "../../db/schema.js";
import type { ExportPieces } from "../../repositories/seat-export-repository.js";
import { csvField } from "./csv.js";

/** The fixed fields of a seat's export record. */
export interface ExportPieceSource {
  /** When the game finished, ISO 8601 in UTC to the millisecond ("2026-01-05T10:20:00.123Z"). */
  finishedAt: string;
  format: string;
  lobbyId: string | null;
  deckId: string | null;
  deckName: string | null;
  result: SeatResult;
  rounds: number | null;
  durationSeconds: number;
  /** The partner's id of the game. */
  gameId: string;
}

const json = (value: string | number | null) => JSON.stringify(value);

/** The three runs of fixed fields as CSV fields, each without a separator at either end. */
export function csvPieces(s: ExportPieceSource) {
  return {
    lead: `${csvField(s.finishedAt)},${csvField(s.format)},${csvField(s.lobbyId)}`,
    deck: `${csvField(s.deckId)},${csvField(s.deckName)}`,
    // The result and the numbers never need quoting or a formula guard (a negative number is data).
    end: `${s.result},${s.rounds === null ? "" : s.rounds},${s.durationSeconds},${csvField(s.gameId)}`,
  };
}

/** The three runs of fixed fields as JSON members, each without a separator at either end. */
export function jsonPieces(s: ExportPieceSource) {
  return {
    lead: `"finishedAt":${json(s.finishedAt)},"format":${json(s.format)},"lobbyId":${json(s.lobbyId)}`,
    deck: `"deckId":${json(s.deckId)},"deckName":${json(s.deckName)}`,
    end: `"result":${json(s.result)},"rounds":${json(s.rounds)},"durationSeconds":${json(s.durationSeconds)},"gameId":${json(s.gameId)}`,
  };
}

/** Both, as seat_export stores them. */
export function exportPieces(s: ExportPieceSource): ExportPieces {
  const [csv, json] = [csvPieces(s), jsonPieces(s)];
  return { csvLead: csv.lead, csvDeck: csv.deck, csvEnd: csv.end, jsonLead: json.lead, jsonDeck: json.deck, jsonEnd: json.end };
}
