import { describe, expect, it } from "vitest";
import { piecesBody } from "./pieces-body.js";

describe("piecesBody", () => {
  it("sends the pieces in order, with their length in bytes", async () => {
    const pieces = ["finishedAt,deckName\r\n", "2026-01-05,Ünïcødé ✓\r\n", "", "2026-01-06,\"a,b\"\r\n"].map((text) => Buffer.from(text));
    const { body, length } = piecesBody(pieces);
    const bytes = Buffer.from(await new Response(body).arrayBuffer());
    expect(bytes.equals(Buffer.concat(pieces))).toBe(true);
    expect(length).toBe(bytes.byteLength);
  });

  it("sends an empty body for no pieces", async () => {
    const { body, length } = piecesBody([]);
    expect(await new Response(body).text()).toBe("");
    expect(length).toBe(0);
  });
});
