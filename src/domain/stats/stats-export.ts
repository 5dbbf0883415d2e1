/**
 * The game export: one flat record per game, the same records for CSV and JSON. Names come from the card
 * catalogue (a leader as "Name, Subtitle"; an unknown card as its id). At most EXPORT_LIMIT games,
 * newest first: the server runs with a 128 MB heap, and 25,000 rows (measured ~36 MB for the
 * driver's rows, these rows and the CSV text) is years of daily play while leaving room for other
 * requests; 100,000 would not fit.
 */
import type { SeatResult } from "../../db/schema.js";
import type { SeatToExport } from "../../repositories/seat-export-repository.js";
import type { ExportOrder, ExportRow, StoredExportRow } from "../../repositories/stats-repository.js";
import { cardName } from "../cards/card-names.js";
import { csvField } from "./csv.js";
import { csvPieces, jsonPieces, type ExportPieceSource } from "./export-pieces.js";

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

/** "Name, Subtitle" of a leader or base (an export names a few dozen cards thousands of times). */
function fullName(id: string, kind: "leader" | "base") {
  const card = cardName(id, kind);
  return card.subtitle ? `${card.name}, ${card.subtitle}` : card.name;
}

/** A card's id and name as written by `write`, once per card and export. */
function cardFields(kind: "leader" | "base", write: (id: string, name: string) => string) {
  const written = new Map<string, string>();
  return (id: string) => {
    let fields = written.get(id);
    if (fields === undefined) written.set(id, (fields = write(id, fullName(id, kind))));
    return fields;
  };
}

export type ExportType = "csv" | "json";

/**
 * Games read from the games (those the export records' job has not reached yet), their parts
 * written here as the job writes them (seat-export-fold.ts): the times exactly as PostgreSQL
 * would write them (isoMillisWriter, wholeSecondsBetween).
 */
export function withPieces(rows: readonly ExportRow[], type: ExportType): StoredExportRow[] {
  const iso = isoMillisWriter();
  const pieces = type === "csv" ? csvPieces : jsonPieces;
  return rows.map((r) => {
    // Every property written out, in the order the stored rows have them: an object spread here
    // left V8 with slow objects, and the export three times slower.
    const p = pieces(exportFields(r, iso));
    return {
      lead: p.lead,
      deck: p.deck,
      end: p.end,
      leader: r.leader,
      base: r.base,
      opponentLeader: r.opponentLeader,
      opponentBase: r.opponentBase,
      clientId: r.clientId,
      lobbyId: r.lobbyId,
      gameId: r.gameId,
      sequenceNumber: r.sequenceNumber,
      startedAtSeconds: r.startedAtSeconds,
      finishedAtSeconds: r.finishedAtSeconds,
      rowId: r.rowId,
    };
  });
}

/** A game's fixed export fields from its times as read, written as PostgreSQL would (`iso`: an isoMillisWriter, one per batch of games). */
export function exportFields(r: SeatToExport, iso: (seconds: number) => string): ExportPieceSource {
  return {
    finishedAt: iso(r.finishedAtSeconds),
    format: r.format,
    lobbyId: r.lobbyId,
    deckId: r.deckId,
    deckName: r.deckName,
    result: r.result,
    rounds: r.rounds,
    durationSeconds: wholeSecondsBetween(r.startedAtSeconds, r.gameFinishedAtSeconds),
    gameId: r.gameId,
  };
}

/**
 * The first `limit` games of two lists each in the export's order (newest finish first, then the
 * latest to arrive), in that order.
 */
export function newestFirst<T extends ExportOrder>(a: readonly T[], b: readonly T[], limit: number): T[] {
  if (b.length === 0) return a.slice(0, limit);
  if (a.length === 0) return b.slice(0, limit);
  const merged: T[] = [];
  let [i, j] = [0, 0];
  while (merged.length < limit && (i < a.length || j < b.length)) {
    const [x, y] = [a[i], b[j]];
    const takeA = y === undefined || (x !== undefined && (x.finishedAtSeconds > y.finishedAtSeconds || (x.finishedAtSeconds === y.finishedAtSeconds && x.rowId > y.rowId)));
    merged.push(takeA ? a[i++]! : b[j++]!);
  }
  return merged;
}

/**
 * Bytes per piece of an export file. A file is written as UTF-8 straight into pieces of 64 kB and
 * sent as they are: no string per record and none for the file. Joining 10,000 JSON records into
 * one 4.7 MB string took 15 ms here against 1 ms for the same bytes in pieces of 100 records, and
 * the records' strings were most of what the garbage collector had to copy (bench/results/stats.md).
 */
const PIECE_BYTES = 64 * 1024;

/** Writes text as UTF-8 into pieces of about PIECE_BYTES. */
function bytePieces() {
  const pieces: Buffer[] = [];
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  return {
    write(text: string) {
      // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
      if (used + 3 * text.length > piece.length) {
        pieces.push(piece.subarray(0, used));
        piece = Buffer.allocUnsafe(Math.max(PIECE_BYTES, 3 * text.length));
        used = 0;
      }
      used += piece.write(text, used);
    },
    end(): Buffer[] {
      pieces.push(piece.subarray(0, used));
      return pieces;
    },
  };
}

/**
 * The export as RFC 4180 CSV (csv.ts: a header row, CRLF after every record, quoting and the
 * formula guard), as UTF-8 pieces: each record is the seat's stored parts joined with its match
 * id and the names.
 */
export function exportCsv(rows: readonly StoredExportRow[], matchIds: readonly (string | null)[]): Buffer[] {
  const pair = (id: string, name: string) => `${csvField(id)},${csvField(name)}`;
  const [leader, base] = [cardFields("leader", pair), cardFields("base", pair)];
  const out = bytePieces();
  out.write(`${EXPORT_COLUMNS.join(",")}\r\n`); // the names need no quoting
  let matchId: string | null | undefined;
  let matchField = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    // The games of a match come together and share one id string: written once per run.
    if (matchIds[i] !== matchId) matchField = `,${csvField((matchId = matchIds[i]))},`;
    out.write(r.lead);
    out.write(matchField);
    out.write(leader(r.leader));
    out.write(",");
    out.write(base(r.base));
    out.write(",");
    out.write(r.deck);
    out.write(",");
    out.write(leader(r.opponentLeader));
    out.write(",");
    out.write(base(r.opponentBase));
    out.write(",");
    out.write(r.end);
    out.write("\r\n"); // after every record, the last one too
  }
  return out.end();
}

/**
 * The export as JSON, `{ "games": [...], "truncated": ... }`, as UTF-8 pieces: the text
 * JSON.stringify gives for ExportGame objects (members in EXPORT_COLUMNS' order), written from the
 * stored parts.
 */
export function exportJson(rows: readonly StoredExportRow[], matchIds: readonly (string | null)[], truncated: boolean): Buffer[] {
  const members = (role: string) => (id: string, name: string) => `"${role}Id":${JSON.stringify(id)},"${role}Name":${JSON.stringify(name)},`;
  const [myLeader, myBase] = [cardFields("leader", members("myLeader")), cardFields("base", members("myBase"))];
  const [opponentLeader, opponentBase] = [cardFields("leader", members("opponentLeader")), cardFields("base", members("opponentBase"))];
  const out = bytePieces();
  out.write('{"games":[');
  let matchId: string | null | undefined;
  let matchMember = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (matchIds[i] !== matchId) matchMember = `,"matchId":${JSON.stringify((matchId = matchIds[i]) ?? null)},`;
    out.write(i === 0 ? "{" : ",{");
    out.write(r.lead);
    out.write(matchMember);
    out.write(myLeader(r.leader));
    out.write(myBase(r.base));
    out.write(r.deck);
    out.write(",");
    out.write(opponentLeader(r.opponentLeader));
    out.write(opponentBase(r.opponentBase));
    out.write(r.end);
    out.write("}");
  }
  out.write(`],"truncated":${truncated}}`);
  return out.end();
}
