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
import { csvField, csvRecords } from "./csv.js";

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

const DAY_MS = 86_400_000;
const pad2 = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"));
const pad3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));

/**
 * Writes instants read as seconds since 1970 (exact to the microsecond, stats-repository.ts
 * `epochSeconds`) as ISO 8601 in UTC to the millisecond, the sub-millisecond digits cut off as
 * PostgreSQL's to_char 'MS' does: "2026-01-05T10:20:00.123Z" for 10:20:00.123456. The date part
 * comes from Date once per day (an export's games come in order, many a day); the time of day is
 * arithmetic: Date#toISOString for every game was a tenth of an export's time.
 */
export function isoMillisWriter(): (seconds: number) => string {
  let day = Number.NaN;
  let datePart = "";
  return (seconds) => {
    const ms = Math.floor(Math.round(seconds * 1e6) / 1000);
    const msDay = Math.floor(ms / DAY_MS);
    if (msDay !== day) {
      day = msDay;
      datePart = new Date(msDay * DAY_MS).toISOString().slice(0, 11); // "YYYY-MM-DDT"
    }
    let rest = ms - msDay * DAY_MS;
    const milli = rest % 1000;
    rest = (rest - milli) / 1000;
    const second = rest % 60;
    rest = (rest - second) / 60;
    return `${datePart}${pad2[(rest - (rest % 60)) / 60]}:${pad2[rest % 60]}:${pad2[second]}.${pad3[milli]}Z`;
  };
}

/**
 * Whole seconds from `from` to `to` (both seconds since 1970, exact to the microsecond), rounded
 * half away from zero as PostgreSQL's round(numeric): 1200.5 s → 1201, -0.5 s → -1.
 */
export function wholeSecondsBetween(from: number, to: number): number {
  const micros = Math.round(to * 1e6) - Math.round(from * 1e6); // exact: both below 2^53
  const whole = Math.round(Math.abs(micros) / 1e6);
  return micros < 0 ? 0 - whole : whole; // 0 - 0 is 0, where -0 would be -0
}

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
  const iso = isoMillisWriter();
  return rows.map((r, i) => ({
    finishedAt: iso(r.finishedAtSeconds),
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
    durationSeconds: wholeSecondsBetween(r.startedAtSeconds, r.gameFinishedAtSeconds),
    gameId: r.gameId,
  }));
}

/**
 * The export as CSV straight from the rows: the records exportGames' objects would give through
 * toCsv (stats-export-csv.test.ts holds the two to the same bytes), without making those 10,000
 * objects first. Only text from the partner or the player goes through csvField; a card's id and
 * name are written as one field pair, once per card and export; the result and the numbers never
 * need quoting or a formula guard (a negative number is data).
 */
export function exportCsv(rows: readonly ExportRow[], matchIds: readonly (string | null)[]): string {
  const named = namer();
  const iso = isoMillisWriter();
  const cards = { leader: new Map<string, string>(), base: new Map<string, string>() };
  const card = (id: string, kind: "leader" | "base") => {
    let fields = cards[kind].get(id);
    if (fields === undefined) cards[kind].set(id, (fields = `${csvField(id)},${csvField(named(id, kind))}`));
    return fields;
  };
  return csvRecords(EXPORT_COLUMNS, rows.length, (i, fields) => {
    const r = rows[i]!;
    fields[0] = csvField(iso(r.finishedAtSeconds));
    fields[1] = csvField(r.format);
    fields[2] = csvField(r.lobbyId);
    fields[3] = csvField(matchIds[i]);
    fields[4] = card(r.leader, "leader");
    fields[5] = card(r.base, "base");
    fields[6] = csvField(r.deckId);
    fields[7] = csvField(r.deckName);
    fields[8] = card(r.opponentLeader, "leader");
    fields[9] = card(r.opponentBase, "base");
    fields[10] = r.result;
    fields[11] = r.rounds === null ? "" : String(r.rounds);
    fields[12] = String(wholeSecondsBetween(r.startedAtSeconds, r.gameFinishedAtSeconds));
    fields[13] = csvField(r.gameId);
    return 14;
  });
}
