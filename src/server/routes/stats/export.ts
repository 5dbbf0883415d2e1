/**
 * GET /api/stats/export?format=csv|json (or as=csv|json) with every statistics filter: one row per
 * game, newest first, as an RFC 4180 CSV file or `{ games, truncated }`. `format` also filters by
 * game format (premier, open, …): `format=csv` and `format=json` name the file type (no game format
 * is called that) and filter nothing; any other `format` is the game format. `as` names the file
 * type alone, so `?as=json&format=premier` does both (ExportQuery in query.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { piecesBody } from "../../pieces-body.js";
import { ExportQuery, parseQuery } from "./query.js";

const CONTENT_TYPE = { csv: "text/csv; charset=utf-8", json: "application/json" } as const;

export const exportRoute = new Hono<AppEnv>().get("/export", async (c) => {
  const { type, filter } = parseQuery(ExportQuery, c);
  const { stats } = c.get("deps").services;
  const day = c.get("deps").clock().toISOString().slice(0, 10);
  const { pieces, truncated } = await stats.exportFile(c.get("user").id, filter, type);
  const { body, length } = piecesBody(pieces);
  c.header("Content-Disposition", `attachment; filename="swubase-stats-${day}.${type}"`);
  c.header("X-Export-Truncated", String(truncated));
  return c.body(body, 200, { "Content-Type": CONTENT_TYPE[type], "Content-Length": String(length) });
});
