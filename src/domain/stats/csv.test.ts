import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv.js";

describe("csvField (RFC 4180)", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvField("Han Aggro")).toBe("Han Aggro");
    expect(csvField(1207)).toBe("1207");
    expect(csvField(-3)).toBe("-3"); // a number is data, never a formula
    expect(csvField(true)).toBe("true");
  });

  it("writes null, undefined and empty text as an empty field", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes commas, quotes, CR and LF, doubling the quotes", () => {
    expect(csvField("Han Solo, Worth the Risk")).toBe('"Han Solo, Worth the Risk"');
    expect(csvField('The "Fast" Deck')).toBe('"The ""Fast"" Deck"');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvField("line 1\r\nline 2")).toBe('"line 1\r\nline 2"');
    expect(csvField('"')).toBe('""""');
  });

  it("prefixes text that a spreadsheet would run as a formula with '", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-Aggro-")).toBe("'-Aggro-");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tTab")).toBe("'\tTab");
    expect(csvField("\rx")).toBe("\"'\rx\"");
    expect(csvField("a=b")).toBe("a=b"); // only a leading character counts
  });
});

describe("toCsv", () => {
  it("writes the header row and one CRLF-terminated record per row, in column order", () => {
    const csv = toCsv(["id", "name", "games"] as const, [
      { games: 2, name: "Plain", id: "a" },
      { id: "b", name: "With, comma", games: null },
    ]);
    expect(csv).toBe('id,name,games\r\na,Plain,2\r\nb,"With, comma",\r\n');
  });

  it("is just the header without rows", () => {
    expect(toCsv(["a", "b"] as const, [])).toBe("a,b\r\n");
  });
});
