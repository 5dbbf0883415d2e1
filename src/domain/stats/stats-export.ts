/**
 * The game export: one flat row per game, the same rows for CSV and JSON. Names come from the card
 * catalogue (a leader as "Name, Subtitle"; an unknown card as its id). At most EXPORT_LIMIT games,
 * newest first: the server runs with a 128 MB heap, and 25,000 rows (measured ~36 MB for the
 * driver's rows, these rows and the CSV text) is years of daily play while leaving room for other
 * requests; 100,000 would not fit.
 */
import type { SeatResult } from "../../db/schema.js";
import type { ExportRow } from "../../repositories/stats-repository.js";
import { cardName } from "../cards/card-names.js";
import { csvRecords, type CsvValue } from "./csv.js";

export const EXPORT_LIMIT = 25_000;

export const EXPORT_COLUMNS = [
  "finishedAt",
  "format",
  "lobbyId",
  "matchId",
  "myLeaderId",
  "myLeaderName",
  "myBaseId",
  "myBaseName",
  "deckId",
  "deckName",
  "opponentLeaderId",
  "opponentLeaderName",
  "opponentBaseId",
  "opponentBaseName",
  "result",
  "rounds",
  "durationSeconds",
  "gameId",
] as const;

export type ExportGame = {
  [K in (typeof EXPORT_COLUMNS)[number]]: K extends "rounds" ? number | null : K extends "durationSeconds" ? number : K extends "result" ? SeatResult : string | null;
};

/** "Name, Subtitle" of a leader or base, each looked up once per export (an export names a few dozen cards thousands of times). */
function namer() {
  const names = { leader: new Map<string, string>(), base: new Map<string, string>() };
  return (id: string, kind: "leader" | "base") => {
    let name = names[kind].get(id);
    if (name === undefined) {
      const card = cardName(id, kind);
      name = card.subtitle ? `${card.name}, ${card.subtitle}` : card.name;
      names[kind].set(id, name);
    }
    return name;
  };
}

/** The export's rows, named, each with its match (`matchIds` at the same index, from match-runs.ts). */
export function exportGames(rows: readonly ExportRow[], matchIds: readonly (string | null)[]): ExportGame[] {
  const named = namer();
  return rows.map((r, i) => ({
    finishedAt: r.finishedAt,
    format: r.format,
    lobbyId: r.lobbyId,
    matchId: matchIds[i] ?? null,
    myLeaderId: r.leader,
    myLeaderName: named(r.leader, "leader"),
    myBaseId: r.base,
    myBaseName: named(r.base, "base"),
    deckId: r.deckId,
    deckName: r.deckName,
    opponentLeaderId: r.opponentLeader,
    opponentLeaderName: named(r.opponentLeader, "leader"),
    opponentBaseId: r.opponentBase,
    opponentBaseName: named(r.opponentBase, "base"),
    result: r.result,
    rounds: r.rounds,
    durationSeconds: r.durationSeconds,
    gameId: r.gameId,
  }));
}

/**
 * The export as CSV straight from the rows: the records exportGames' objects would give through
 * toCsv (stats-export.test.ts pins the bytes), without making those 10,000 objects first.
 */
export function exportCsv(rows: readonly ExportRow[], matchIds: readonly (string | null)[]): string {
  const named = namer();
  const values = new Array<CsvValue>(EXPORT_COLUMNS.length);
  return csvRecords(EXPORT_COLUMNS, rows.length, (i) => {
    const r = rows[i]!;
    values[0] = r.finishedAt;
    values[1] = r.format;
    values[2] = r.lobbyId;
    values[3] = matchIds[i] ?? null;
    values[4] = r.leader;
    values[5] = named(r.leader, "leader");
    values[6] = r.base;
    values[7] = named(r.base, "base");
    values[8] = r.deckId;
    values[9] = r.deckName;
    values[10] = r.opponentLeader;
    values[11] = named(r.opponentLeader, "leader");
    values[12] = r.opponentBase;
    values[13] = named(r.opponentBase, "base");
    values[14] = r.result;
    values[15] = r.rounds;
    values[16] = r.durationSeconds;
    values[17] = r.gameId;
    return values;
  });
}
