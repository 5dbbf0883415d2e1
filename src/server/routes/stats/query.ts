/**
 * The query of every statistics endpoint, one zod schema per endpoint: the route parses its query
 * with it (`parseQuery`) and the OpenAPI document lists the parameters from the same schema
 * (src/server/openapi/registry.ts; descriptions and examples are the schemas' `.meta`).
 *
 * Every endpoint reads the filters `format`, `from`, `to` (ISO dates or timestamps; a date-only
 * `to` includes that whole day, UTC), `leader` (the user's leader card id), `deck` (a deck id) and
 * `bo` (`1` or `3`: best-of-one or best-of-three games); paged lists also `page` and `pageSize`
 * (at most 100), the matchup matrix `by` and `minGames`, one deck's cards `deckName`, the export
 * `as`. Bad values are a 400 naming the parameter; empty ones are no filter.
 */
import type { Context } from "hono";
import { z } from "zod";
import { badRequest } from "../../../domain/errors.js";
import type { StatsFilter } from "../../../domain/stats/stats-service.js";
import type { AppEnv } from "../../app-env.js";

/** Parses the request's query (or `query`) with `schema`; the first problem is a 400 naming its parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, c: Context<AppEnv>, query: Record<string, string> = c.req.query()): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "bad query");
  return parsed.data;
}

// ---- parameters ----------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const isoDateTime = z.iso.datetime({ offset: true });

/** PostgreSQL parses years 1–9999 from the driver's ISO strings; anything else is a bad filter, not a 500. */
const MIN_INSTANT = Date.parse("0001-01-01T00:00:00Z"); // not Date.UTC(1, …): that reads year 1 as 1901
const MAX_INSTANT = Date.UTC(9999, 11, 31);
/** 10000-01-01: the exclusive bound just past 9999-12-31, which PostgreSQL cannot be sent. */
const END_OF_TIME = MAX_INSTANT + DAY_MS;

interface Instant {
  start: Date;
  /** The exclusive bound just past it: the next day for a date, the next millisecond for a timestamp. */
  end: Date;
}

/** A date (`2026-01-31`) or timestamp, or what is wrong with it. */
function parseInstant(value: string): Instant | string {
  let range: Instant | undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(start.getTime()) && start.toISOString().startsWith(value)) range = { start, end: new Date(start.getTime() + DAY_MS) };
  } else if (value.length <= 40 && isoDateTime.safeParse(value).success) {
    const start = new Date(value);
    range = { start, end: new Date(start.getTime() + 1) };
  }
  if (!range) return "must be an ISO date (YYYY-MM-DD) or timestamp (e.g. 2026-01-31T18:00:00Z)";
  if (range.start.getTime() < MIN_INSTANT || range.end.getTime() > END_OF_TIME) return "must be a date between 0001-01-01 and 9999-12-31";
  return range;
}

/** "" is as if absent: an empty parameter filters nothing and takes the default. */
const emptyAsAbsent = (v: unknown) => (v === "" ? undefined : v);

/** An optional text parameter: "" is no filter; longer than `max` is a 400 naming it. */
const text = (name: string, max: number) =>
  z
    .string()
    .max(max, `${name} is too long (at most ${max} characters)`)
    .optional()
    .transform((v) => v || undefined);

/** `from` or `to`: a date or a timestamp, read as the instant it starts and the one just past it. */
const instant = (name: "from" | "to") =>
  z
    .string()
    .optional()
    .transform((value, ctx): Instant | undefined => {
      if (!value) return undefined;
      const range = parseInstant(value);
      if (typeof range !== "string") return range;
      ctx.issues.push({ code: "custom", message: `${name} ${range}`, input: value });
      return z.NEVER;
    });
const DATE_OR_TIMESTAMP = { anyOf: [{ format: "date" }, { format: "date-time" }] };

/** An integer parameter (digits only) from `min` to `max`; absent or empty is `fallback`. */
const integer = (name: string, min: number, max: number, fallback: number) => {
  const problem = `${name} must be an integer from ${min} to ${max}`;
  return z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : v),
    z.number({ error: problem }).int({ error: problem }).min(min, { error: problem }).max(max, { error: problem }).default(fallback),
  );
};

const FILTER = {
  format: text("format", 50).meta({ description: "Only games of this format (e.g. premier).", example: "premier" }),
  from: instant("from").meta({ ...DATE_OR_TIMESTAMP, description: "Only games finished at or after this date (YYYY-MM-DD, UTC) or timestamp.", example: "2026-01-01" }),
  to: instant("to").meta({ ...DATE_OR_TIMESTAMP, description: "Only games finished up to this date (the whole day, UTC) or timestamp.", example: "2026-01-31" }),
  leader: text("leader", 100).meta({
    description: "Only games where the user played this leader (card id, as `leader.id` in GET /api/stats/leaders).",
    example: "9226435975",
  }),
  deck: text("deck", 200).meta({ description: "Only games with this deck (`deck.id` in GET /api/stats/decks)." }),
  bo: z
    .preprocess(emptyAsAbsent, z.enum(["1", "3"], { error: "bo must be 1 (best of one) or 3 (best of three)" }).optional())
    .transform((v) => (v === undefined ? undefined : (Number(v) as 1 | 3)))
    .meta({
      description:
        "`3`: only games of a best-of-three match (a run of games in one lobby with a game of sequence number 2 or more, as in GET /api/stats/matches); `1`: only the others.",
      example: "3",
    }),
};

/** The most `minGames` may ask for (more than anyone plays against one leader). */
const MIN_GAMES_MAX = 100_000;
const MATCHUP_ROWS = ["leader", "deck"] as const;

const PAGING = {
  page: integer("page", 1, 100_000, 1).meta({ description: "Page number, from 1." }),
  pageSize: integer("pageSize", 1, 100, 20).meta({ description: "Items per page." }),
};

type FilterParameters = z.output<z.ZodObject<typeof FILTER>>;

/** The filter of the parsed parameters; `from` after `to` is a problem. */
function filterOf(q: FilterParameters, ctx: z.RefinementCtx): StatsFilter {
  const from = q.from?.start;
  // `to` on the last representable day means "no upper bound": nothing is stored past it.
  const until = q.to && q.to.end.getTime() < END_OF_TIME ? q.to.end : undefined;
  if (from && until && from >= until) ctx.issues.push({ code: "custom", message: "from must not be after to", input: q });
  return { format: q.format, from, until, leader: q.leader, deck: q.deck, bestOf: q.bo };
}

// ---- one schema per endpoint -----------------------------------------------------------------------

/** leaders, bases, decks, cards, weekly: the filter. */
export const StatsFilterQuery = z.object(FILTER).transform(filterOf);

/** overview, matches: the filter and a page. */
export const PagedStatsQuery = z
  .object({ ...FILTER, ...PAGING })
  .transform((q, ctx) => ({ filter: filterOf(q, ctx), paging: { page: q.page, pageSize: q.pageSize } }));

/** A page alone (GET /api/public/{handle}/stats). */
export const PagingQuery = z.object(PAGING);
/** The request's page (GET /api/public/{handle}/stats). */
export const paging = (c: Context<AppEnv>) => parseQuery(PagingQuery, c);

/** matchups: the matrix's rows (`by`: leader, the default, or deck), `minGames` (0, the default: every cell) and the filter. */
export const MatchupsQuery = z
  .object({
    by: z
      .preprocess(emptyAsAbsent, z.enum(MATCHUP_ROWS, { error: "by must be leader or deck" }).default("leader"))
      .meta({ description: "The matrix's rows: the user's leader (default) or deck.", example: "deck" }),
    minGames: integer("minGames", 0, MIN_GAMES_MAX, 0).meta({
      description: `Only cells with at least this many games (0, the default, lists every cell). Not an integer from 0 to ${MIN_GAMES_MAX}: 400 naming it.`,
      example: 10,
    }),
    ...FILTER,
  })
  .transform((q, ctx) => ({ filter: filterOf(q, ctx), options: { by: q.by, minGames: q.minGames } }));

/** decks/{deckId}/cards: `deckName` (kept as sent, "" included) and the filter. */
export const DeckCardsQuery = z
  .object({
    deckName: z
      .string()
      .max(500, "deckName is too long (at most 500 characters)")
      .optional()
      .meta({ description: 'Narrows decks that share an id (e.g. "unknown").' }),
    ...FILTER,
  })
  .transform((q, ctx) => ({ filter: filterOf(q, ctx), deckName: q.deckName }));

const { format: _gameFormat, ...FILTER_BUT_FORMAT } = FILTER;
const EXPORT_TYPES = ["csv", "json"] as const;
type ExportType = (typeof EXPORT_TYPES)[number];
const isExportType = (v: string | undefined): v is ExportType => v === "csv" || v === "json";

/**
 * export: the file type and the filter. `format=csv` and `format=json` name the file type (no game
 * format is called that) and filter nothing; any other `format` is the game format. `as` names the
 * file type alone (csv by default), so `?as=json&format=premier` does both.
 */
export const ExportQuery = z
  .object({
    format: text("format", 50).meta({
      description: "`csv` or `json`: the file type (then no game-format filter). Any other value: only games of this format (e.g. premier), the file type then being `as`.",
      example: "json",
    }),
    as: z
      .enum(EXPORT_TYPES, { error: "as must be csv or json" })
      .optional()
      .meta({ description: "The file type (default csv), whatever `format` is.", default: "csv", example: "csv" }),
    ...FILTER_BUT_FORMAT,
  })
  .transform((q, ctx) => {
    const typeByFormat = isExportType(q.format) ? q.format : undefined;
    if (typeByFormat && q.as !== undefined && q.as !== typeByFormat) {
      ctx.issues.push({ code: "custom", message: `as=${q.as} and format=${typeByFormat} ask for different file types`, input: q });
    }
    const filter = filterOf({ ...q, format: typeByFormat ? undefined : q.format }, ctx);
    return { type: typeByFormat ?? q.as ?? "csv", filter };
  });
