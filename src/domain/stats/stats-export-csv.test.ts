/**
 * exportCsv writes the export's CSV from the rows without exportGames' objects: it must give byte
 * for byte what those objects give through toCsv, whatever the text in the fields (quotes, commas,
 * line breaks, formula starts, unicode), the cards (known names with a comma, unknown ids), nulls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExportRow } from "../../repositories/stats-repository.js";
import { toCsv } from "./csv.js";
import { EXPORT_COLUMNS, exportCsv, exportGames } from "./stats-export.js";

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
});
const exported = fc
  .array(row, { maxLength: 30 })
  .chain((rows) => fc.record({ rows: fc.constant(rows), ids: fc.array(fc.option(tricky, { nil: null }), { minLength: rows.length, maxLength: rows.length }) }));

describe("exportCsv", () => {
  it("writes the CSV of exportGames' objects, byte for byte", () => {
    fc.assert(
      fc.property(exported, ({ rows, ids }) => {
        expect(exportCsv(rows, ids)).toBe(toCsv(EXPORT_COLUMNS, exportGames(rows, ids)));
      }),
      { numRuns: 300 },
    );
  });

  it("writes the header alone without games", () => {
    expect(exportCsv([], [])).toBe(`${EXPORT_COLUMNS.join(",")}\r\n`);
  });
});
