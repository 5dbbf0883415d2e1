/**
 * Keeps the export records (seat_export, drizzle/0013) up to date with a bounded background job
 * instead of at ingest: writing the records' parts in the ingest statement cost ingest 13 % of its
 * throughput (issue 14 allows 10 %).
 *
 * Each run writes the records of the attributed seats of the games with ids up to `settledUpTo`
 * (the meta refresh's: every statement that took a lower id has committed or failed, so no game
 * that commits late is skipped) that are not written yet, `maxIdsPerStep` ids per transaction and
 * at most `maxStepsPerRun` transactions (the backfill after the upgrade takes as many runs as it
 * needs, the next one a second later). The export reads the games above `exported_up_to` from the
 * seats, so it is exact whatever the job's progress; the job only makes it fast.
 */
import type { SeatExportRepository, SeatToExport } from "../../repositories/seat-export-repository.js";
import { exportPieces } from "./export-pieces.js";
import { exportFields, isoMillisWriter } from "./stats-export.js";

export interface SeatExportFoldOptions {
  repo: SeatExportRepository;
  maxIdsPerStep?: number;
  maxStepsPerRun?: number;
}

export interface SeatExportFoldResult {
  /** Every attributed seat of a game with an id up to this has its record. */
  exportedUpTo: number;
  /** Records this run wrote. */
  written: number;
  /** Settled games are left for the next run. */
  behind: boolean;
}

/** The parts of each seat's record, the times written as PostgreSQL would (stats-export.ts exportFields). */
function writeParts(seats: readonly SeatToExport[]) {
  const iso = isoMillisWriter();
  return seats.map((s) => exportPieces(exportFields(s, iso)));
}

export function createSeatExportFold(options: SeatExportFoldOptions) {
  const { repo } = options;
  const maxIds = options.maxIdsPerStep ?? 5_000;
  const maxSteps = options.maxStepsPerRun ?? 10;

  async function runOnce(settledUpTo: number): Promise<SeatExportFoldResult> {
    // A step that cannot move (nothing settled above exported_up_to) means the job is done.
    let step = await repo.write(settledUpTo, maxIds, writeParts);
    let written = step.written;
    for (let n = 1; n < maxSteps && step.exportedUpTo < settledUpTo; n++) {
      step = await repo.write(settledUpTo, maxIds, writeParts);
      written += step.written;
    }
    return { exportedUpTo: step.exportedUpTo, written, behind: step.exportedUpTo < settledUpTo };
  }

  return { runOnce };
}

export type SeatExportFold = ReturnType<typeof createSeatExportFold>;
