import { describe, expect, it } from "vitest";
import { textPiecesBody } from "./text-pieces-body.js";

describe("textPiecesBody", () => {
  it("sends the pieces in order, with their length in bytes (not characters)", async () => {
    const pieces = ["finishedAt,deckName\r\n", "2026-01-05,Ünïcødé ✓\r\n", "", "2026-01-06,\"a,b\"\r\n"];
    const { body, length } = textPiecesBody(pieces);
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe(pieces.join(""));
    expect(length).toBe(bytes.byteLength);
    expect(length).toBeGreaterThan(pieces.join("").length);
  });

  it("sends an empty body for no pieces", async () => {
    const { body, length } = textPiecesBody([]);
    expect(await new Response(body).text()).toBe("");
    expect(length).toBe(0);
  });
});
