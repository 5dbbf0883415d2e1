/**
 * The query parameters of GET /api/meta/*: `format`, `from` and `to` (UTC dates, YYYY-MM-DD, both
 * included; the meta is counted per day, so a timestamp is refused rather than rounded). Bad
 * values are a 400 naming the parameter, as in the statistics' query.ts; empty ones are no filter.
 */
import type { Context } from "hono";
import { z } from "zod";
import { badRequest } from "../../../domain/errors.js";
import type { MetaFilter } from "../../../domain/meta/meta-service.js";
import type { AppEnv } from "../../app-env.js";

const DAY_MS = 86_400_000;

/** A calendar date from 0001-01-01 to 9999-12-31 (what PostgreSQL's date takes from us). */
const day = (name: string) =>
  z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || (z.iso.date().safeParse(v).success && v >= "0001-01-01"), `${name} must be a date (YYYY-MM-DD)`);

/** The query of GET /api/meta/*, parsed by metaFilter and listed by the OpenAPI document (registry-profile-meta.ts). */
export const MetaQuery = z.object({
  format: z
    .string()
    .max(50, "format is too long (at most 50 characters)")
    .optional()
    .transform((v) => v || undefined)
    .meta({ description: "Only games of this format (e.g. premier).", example: "premier" }),
  from: day("from").meta({ format: "date", description: "Only games finished on or after this UTC day.", example: "2026-01-01" }),
  to: day("to").meta({ format: "date", description: "Only games finished on or before this UTC day (the whole day).", example: "2026-01-31" }),
});

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export function metaFilter(c: Context<AppEnv>): MetaFilter {
  const parsed = MetaQuery.safeParse(c.req.query());
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "bad meta filter");
  const { format, from, to } = parsed.data;
  if (from && to && from > to) throw badRequest("from must not be after to");
  // The day after 9999-12-31 cannot be written as a date: no upper bound then.
  return { format, from, until: to && to < "9999-12-31" ? nextDay(to) : undefined };
}
