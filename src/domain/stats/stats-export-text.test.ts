/**
 * exportCsv and exportJson write the export from the seats' stored parts (export-pieces.ts), the
 * match ids and the names. They must give byte for byte what the export's objects (`games` below,
 * one plain object per game, as the export built them before the parts were stored) give through
 * toCsv and JSON.stringify, whatever the text in the fields (quotes, commas, line breaks, formula
 * starts, unicode), the cards (known names with a comma, unknown ids), nulls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExportRow } from "../../repositories/stats-repository.js";
import { cardName } from "../cards/card-names.js";
import { toCsv } from "./csv.js";
import { EXPORT_COLUMNS, exportCsv, exportJson, newestFirst, wholeSecondsBetween, withPieces, type ExportGame } from "./stats-export.js";

const tricky = fc.oneof(fc.string(), fc.constantFrom("", "=SUM(A1)", "+1", "-2", "@x", "\tTab", "a,b", 'say "hi"', "line\r\nbreak", "lf\nonly", "Ünïcødé ✓"));
const card = fc.oneof(fc.constantFrom("9226435975", "2580909557", "4301437393", "0450346170", "unknown", "0000000000"), tricky);
/** An instant as PostgreSQL's date_part('epoch') gives it: a whole number of microseconds, in seconds (years 1970 to 2100). */
const seconds = fc.tuple(fc.integer({ min: 0, max: 4_102_444 }), fc.integer({ min: 0, max: 999_999_999 })).map(([high, low]) => (high * 1e9 + low) / 1e6);
const row: fc.Arbitrary<ExportRow> = fc.record({
  gameId: tricky,
  finishedAtSeconds: seconds,
  gameFinishedAtSeconds: seconds,
  format: fc.oneof(fc.constantFrom("premier", "open"), tricky),
  clientId: fc.constant("karabast"),
  lobbyId: fc.option(tricky, { nil: null }),
  sequenceNumber: fc.integer({ min: 1, max: 3 }),
  startedAtSeconds: seconds,
  leader: card,
  base: card,
  opponentLeader: card,
  opponentBase: card,
  deckId: fc.option(tricky, { nil: null }),
  deckName: fc.option(tricky, { nil: null }),
  result: fc.constantFrom("win" as const, "loss" as const, "draw" as const),
  rounds: fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }),
  rowId: fc.nat(),
});
const withIds = (rows: ExportRow[]) => fc.record({ rows: fc.constant(rows), ids: fc.array(fc.option(tricky, { nil: null }), { minLength: rows.length, maxLength: rows.length }) });
const exported = fc.array(row, { maxLength: 30 }).chain(withIds);
/** Files of more than one piece (64 kB each): 400 records of at least ~170 bytes. */
const longer = fc.array(row, { minLength: 400, maxLength: 700 }).chain(withIds);

/** The file's pieces of UTF-8 as text. */
const text = (pieces: readonly Buffer[]) => Buffer.concat(pieces).toString();

/** The reference: the export's objects, written field by field from the rows. */
function games(rows: readonly ExportRow[], ids: readonly (string | null)[]): ExportGame[] {
  const named = (id: string, kind: "leader" | "base") => {
    const c = cardName(id, kind);
    return c.subtitle ? `${c.name}, ${c.subtitle}` : c.name;
  };
  return rows.map((r, i) => ({
    finishedAt: new Date(Math.floor(Math.round(r.finishedAtSeconds * 1e6) / 1000)).toISOString(),
    format: r.format,
    lobbyId: r.lobbyId,
    matchId: ids[i] ?? null,
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

describe("exportCsv", () => {
  it("writes the CSV of the export's objects, byte for byte", () => {
    fc.assert(
      fc.property(exported, ({ rows, ids }) => {
        expect(text(exportCsv(withPieces(rows, "csv"), ids))).toBe(toCsv(EXPORT_COLUMNS, games(rows, ids)));
      }),
      { numRuns: 300 },
    );
  });

  it("writes files of several pieces", () => {
    fc.assert(
      fc.property(longer, ({ rows, ids }) => {
        const pieces = exportCsv(withPieces(rows, "csv"), ids);
        expect(pieces.length).toBeGreaterThan(1);
        expect(text(pieces)).toBe(toCsv(EXPORT_COLUMNS, games(rows, ids)));
      }),
      { numRuns: 10 },
    );
  });

  it("writes a field longer than a piece, and characters of every UTF-8 length", () => {
    const [base] = fc.sample(row, { numRuns: 1, seed: 14 });
    const rows = [
      { ...base!, deckName: "é".repeat(70_000), gameId: "😀 long" },
      { ...base!, deckName: `"${"x,".repeat(40_000)}"`, lobbyId: "ü€😀" },
    ];
    const ids = ["ü€😀:😀 long", null];
    expect(text(exportCsv(withPieces(rows, "csv"), ids))).toBe(toCsv(EXPORT_COLUMNS, games(rows, ids)));
    expect(text(exportJson(withPieces(rows, "json"), ids, false))).toBe(JSON.stringify({ games: games(rows, ids), truncated: false }));
  });

  it("writes the header alone without games", () => {
    expect(text(exportCsv([], []))).toBe(`${EXPORT_COLUMNS.join(",")}\r\n`);
  });
});

describe("exportJson", () => {
  it("writes JSON.stringify of the export's objects, byte for byte", () => {
    fc.assert(
      fc.property(exported, fc.boolean(), ({ rows, ids }, truncated) => {
        expect(text(exportJson(withPieces(rows, "json"), ids, truncated))).toBe(JSON.stringify({ games: games(rows, ids), truncated }));
      }),
      { numRuns: 300 },
    );
  });

  it("writes files of several pieces", () => {
    fc.assert(
      fc.property(longer, ({ rows, ids }) => {
        expect(text(exportJson(withPieces(rows, "json"), ids, true))).toBe(JSON.stringify({ games: games(rows, ids), truncated: true }));
      }),
      { numRuns: 10 },
    );
  });

  it("writes an empty list without games", () => {
    expect(text(exportJson([], [], false))).toBe('{"games":[],"truncated":false}');
  });
});

describe("newestFirst", () => {
  const game = fc.record({ finishedAtSeconds: fc.integer({ min: 0, max: 20 }), rowId: fc.nat() });
  const byExportOrder = (x: { finishedAtSeconds: number; rowId: number }, y: { finishedAtSeconds: number; rowId: number }) =>
    y.finishedAtSeconds - x.finishedAtSeconds || y.rowId - x.rowId;

  it("merges two lists in the export's order (newest finish, then the latest to arrive) and keeps the first `limit`", () => {
    fc.assert(
      fc.property(fc.uniqueArray(game, { selector: (g) => g.rowId, maxLength: 40 }), fc.func(fc.boolean()), fc.nat({ max: 45 }), (games, inFirst, limit) => {
        const a = games.filter((g) => inFirst(g)).sort(byExportOrder);
        const b = games.filter((g) => !inFirst(g)).sort(byExportOrder);
        expect(newestFirst(a, b, limit)).toEqual([...games].sort(byExportOrder).slice(0, limit));
      }),
    );
  });
});
