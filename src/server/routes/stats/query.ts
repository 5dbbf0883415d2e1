/**
 * The query parameters every statistics endpoint reads: `format`, `from`, `to` (ISO dates or
 * timestamps; a date-only `to` includes that whole day, UTC), `leader` (the user's leader card id),
 * `deck` (a deck id), `bo` (`1` or `3`: best-of-one or best-of-three games) and, for paged lists,
 * `page` and `pageSize` (at most 100); the matchup matrix also reads `by` and `minGames`. Bad values
 * are a 400 naming the parameter; empty ones are no filter.
 */
import type { Context } from "hono";
import { z } from "zod";
import { badRequest } from "../../../domain/errors.js";
import type { MatchupOptions } from "../../../domain/stats/breakdowns.js";
import type { Paging, StatsFilter } from "../../../domain/stats/stats-service.js";
import type { AppEnv } from "../../app-env.js";

const DAY_MS = 86_400_000;
const isoDateTime = z.iso.datetime({ offset: true });

/** PostgreSQL parses years 1–9999 from the driver's ISO strings; anything else is a bad filter, not a 500. */
const MIN_INSTANT = Date.parse("0001-01-01T00:00:00Z"); // not Date.UTC(1, …): that reads year 1 as 1901
const MAX_INSTANT = Date.UTC(9999, 11, 31);
/** 10000-01-01: the exclusive bound just past 9999-12-31, which PostgreSQL cannot be sent. */
const END_OF_TIME = MAX_INSTANT + DAY_MS;
const inRange = (r: { start: Date; end: Date }) => r.start.getTime() >= MIN_INSTANT && r.end.getTime() <= END_OF_TIME;

/** A date (`2026-01-31`) or timestamp; `end` marks the exclusive bound just past it. */
function parseInstant(name: string, value: string): { start: Date; end: Date } {
  const range = parseInstantUnchecked(name, value);
  if (!inRange(range)) throw badRequest(`${name} must be a date between 0001-01-01 and 9999-12-31`);
  return range;
}

function parseInstantUnchecked(name: string, value: string): { start: Date; end: Date } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(start.getTime()) && start.toISOString().startsWith(value)) return { start, end: new Date(start.getTime() + DAY_MS) };
  } else if (value.length <= 40 && isoDateTime.safeParse(value).success) {
    const start = new Date(value);
    return { start, end: new Date(start.getTime() + 1) };
  }
  throw badRequest(`${name} must be an ISO date (YYYY-MM-DD) or timestamp (e.g. 2026-01-31T18:00:00Z)`);
}

function parseInteger(name: string, value: string | undefined, def: number, min: number, max: number): number {
  if (value === undefined || value === "") return def;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw badRequest(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** An optional text parameter: "" is no filter; longer than `max` is a 400 naming it. */
const text = (name: string, max: number) =>
  z
    .string()
    .max(max, `${name} is too long (at most ${max} characters)`)
    .optional()
    .transform((v) => v || undefined);

/** The filter parameters; `from` and `to` are read by parseInstant below (a date or a timestamp). */
export const StatsFilterQuery = z.object({
  format: text("format", 50),
  from: z.string().optional(),
  to: z.string().optional(),
  leader: text("leader", 100),
  deck: text("deck", 200),
  bo: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || v === "1" || v === "3", "bo must be 1 (best of one) or 3 (best of three)")
    .transform((v) => (v === "1" ? 1 : v === "3" ? 3 : undefined)),
});

/** The filter of the request's query (or of `query`, a request's query with parameters taken out). */
export function statsFilter(c: Context<AppEnv>, query: Record<string, string | undefined> = c.req.query()): StatsFilter {
  const parsed = StatsFilterQuery.safeParse(query);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "bad statistics filter");
  const { format, from, to, leader, deck, bo } = parsed.data;
  const lower = from ? parseInstant("from", from).start : undefined;
  const end = to ? parseInstant("to", to).end : undefined;
  // `to` on the last representable day means "no upper bound": nothing is stored past it.
  const until = end && end.getTime() < END_OF_TIME ? end : undefined;
  if (lower && until && lower >= until) throw badRequest("from must not be after to");
  return { format, from: lower, until, leader, deck, bestOf: bo };
}

export function paging(c: Context<AppEnv>): Paging {
  return {
    page: parseInteger("page", c.req.query("page"), 1, 1, 100_000),
    pageSize: parseInteger("pageSize", c.req.query("pageSize"), 20, 1, 100),
  };
}

/** The most `minGames` may ask for (more than anyone plays against one leader). */
export const MIN_GAMES_MAX = 100_000;
export const MATCHUP_ROWS = ["leader", "deck"] as const;

/** The matchup matrix's rows (`by`: leader, the default, or deck) and `minGames` (0, the default: every cell). */
export function matchupOptions(c: Context<AppEnv>): MatchupOptions {
  const by = c.req.query("by") || "leader";
  if (by !== "leader" && by !== "deck") throw badRequest("by must be leader or deck");
  return { by, minGames: parseInteger("minGames", c.req.query("minGames"), 0, 0, MIN_GAMES_MAX) };
}
