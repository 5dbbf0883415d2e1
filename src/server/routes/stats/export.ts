/**
 * GET /api/stats/export?as=csv|json (&format, from, to as every statistics endpoint): one row per
 * game, newest first, as an RFC 4180 CSV file or `{ games, truncated }`. The file type is `as`,
 * not `format`: `format` already filters by game format (premier, open, …) here.
 */
import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../../../domain/errors.js";
import { exportCsv } from "../../../domain/stats/stats-export.js";
import type { AppEnv } from "../../app-env.js";
import { statsFilter } from "./query.js";

export const ExportType = z.enum(["csv", "json"]).default("csv");

export const exportRoute = new Hono<AppEnv>().get("/export", async (c) => {
  const type = ExportType.safeParse(c.req.query("as"));
  if (!type.success) throw badRequest("as must be csv or json");
  const { games, truncated } = await c.var.deps.services.stats.exportGames(c.var.user.id, statsFilter(c));
  const day = c.var.deps.clock().toISOString().slice(0, 10);
  c.header("Content-Disposition", `attachment; filename="swubase-stats-${day}.${type.data}"`);
  c.header("X-Export-Truncated", String(truncated));
  if (type.data === "json") return c.json({ games, truncated });
  return c.body(exportCsv(games), 200, { "Content-Type": "text/csv; charset=utf-8" });
});
