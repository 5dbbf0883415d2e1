/**
 * A seat's parts of its export record (GET /api/stats/export), written once, when the seat is
 * stored (ingest) or by the statistics job for seats from before drizzle/0013, and kept on the seat.
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
 * Changing what goes into a part means a migration that sets the parts back to null, so the job
 * writes them again.
 */
import type { SeatResult } from "../../db/schema.js";
import type { ExportPieces } from "../../repositories/game-repository.js";
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

/** The three runs of fixed fields, as CSV fields and as JSON members, each without a separator at either end. */
export function exportPieces(s: ExportPieceSource): ExportPieces {
  return {
    csvLead: `${csvField(s.finishedAt)},${csvField(s.format)},${csvField(s.lobbyId)}`,
    csvDeck: `${csvField(s.deckId)},${csvField(s.deckName)}`,
    // The result and the numbers never need quoting or a formula guard (a negative number is data).
    csvEnd: `${s.result},${s.rounds === null ? "" : s.rounds},${s.durationSeconds},${csvField(s.gameId)}`,
    jsonLead: `"finishedAt":${json(s.finishedAt)},"format":${json(s.format)},"lobbyId":${json(s.lobbyId)}`,
    jsonDeck: `"deckId":${json(s.deckId)},"deckName":${json(s.deckName)}`,
    jsonEnd: `"result":${json(s.result)},"rounds":${json(s.rounds)},"durationSeconds":${json(s.durationSeconds)},"gameId":${json(s.gameId)}`,
  };
}
