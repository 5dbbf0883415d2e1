/**
 * GET /api/stats/export?format=csv|json (or as=csv|json) with every statistics filter: one row per
 * game, newest first, as an RFC 4180 CSV file or `{ games, truncated }`. `format` also filters by
 * game format (premier, open, …): `format=csv` and `format=json` name the file type (no game format
 * is called that) and filter nothing; any other `format` is the game format. `as` names the file
 * type alone, so `?as=json&format=premier` does both.
 */
import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../../../domain/errors.js";
import { exportCsv } from "../../../domain/stats/stats-export.js";
import type { AppEnv } from "../../app-env.js";
import { statsFilter } from "./query.js";

export const ExportType = z.enum(["csv", "json"]).default("csv");

/** The file type, and the query left for the filter (without `format` when it named the type). */
function exportRequest(query: Record<string, string | undefined>) {
  const { as, format, ...rest } = query;
  const byAs = ExportType.safeParse(as);
  if (!byAs.success) throw badRequest("as must be csv or json");
  const byFormat = format === "csv" || format === "json" ? format : undefined;
  if (byFormat && as !== undefined && byAs.data !== byFormat) throw badRequest(`as=${byAs.data} and format=${byFormat} ask for different file types`);
  return { type: byFormat ?? byAs.data, filterQuery: byFormat ? rest : { ...rest, format } };
}

export const exportRoute = new Hono<AppEnv>().get("/export", async (c) => {
  const { type, filterQuery } = exportRequest(c.req.query());
  const { games, truncated } = await c.var.deps.services.stats.exportGames(c.var.user.id, statsFilter(c, filterQuery));
  const day = c.var.deps.clock().toISOString().slice(0, 10);
  c.header("Content-Disposition", `attachment; filename="swubase-stats-${day}.${type}"`);
  c.header("X-Export-Truncated", String(truncated));
  if (type === "json") return c.json({ games, truncated });
  return c.body(exportCsv(games), 200, { "Content-Type": "text/csv; charset=utf-8" });
});
