/**
 * Writes the export parts (export-pieces.ts) of the attributed seats stored before drizzle/0013,
 * a bounded batch per run of the statistics job: at most `maxSeatsPerStep` seats per statement
 * pair, `maxStepsPerRun` pairs per run (the rest is left for the next run, a second later while
 * it is behind). New seats get their parts at ingest, so once the backlog is written this finds
 * nothing. Until a user's seats all have parts, the user's export reads the games as before
 * (stats-service.ts), so the job only makes exports fast, never different.
 */
import type { ExportPiecesRepository } from "../../repositories/export-pieces-repository.js";
import { exportPieces } from "./export-pieces.js";
import { isoMillisWriter, wholeSecondsBetween } from "./stats-export.js";

export interface ExportPiecesBackfillOptions {
  repo: ExportPiecesRepository;
  maxSeatsPerStep?: number;
  maxStepsPerRun?: number;
}

export interface ExportPiecesBackfillResult {
  /** Seats whose parts this run wrote. */
  written: number;
  /** Seats without parts are left for the next run. */
  behind: boolean;
}

export function createExportPiecesBackfill(options: ExportPiecesBackfillOptions) {
  const { repo } = options;
  const maxSeats = options.maxSeatsPerStep ?? 5_000;
  const maxSteps = options.maxStepsPerRun ?? 10;

  async function runOnce(): Promise<ExportPiecesBackfillResult> {
    let written = 0;
    for (let step = 0; step < maxSteps; step++) {
      const seats = await repo.seatsWithoutPieces(maxSeats);
      const iso = isoMillisWriter();
      written += await repo.storePieces(
        seats.map((s) => ({
          gameRowId: s.gameRowId,
          seat: s.seat,
          pieces: exportPieces({
            finishedAt: iso(s.finishedAtSeconds),
            format: s.format,
            lobbyId: s.lobbyId,
            deckId: s.deckId,
            deckName: s.deckName,
            result: s.result,
            rounds: s.rounds,
            durationSeconds: wholeSecondsBetween(s.startedAtSeconds, s.gameFinishedAtSeconds),
            gameId: s.gameId,
          }),
        })),
      );
      if (seats.length < maxSeats) return { written, behind: false };
    }
    return { written, behind: true };
  }

  return { runOnce };
}

export type ExportPiecesBackfill = ReturnType<typeof createExportPiecesBackfill>;
