/**
 * The signed-in user's statistics (GET /api/stats/*): the answers' types (the server's own, from
 * src/server/api-types.ts), query options, and the filters every call carries (format, from, to,
 * leader, deck, bo), which live in the /stats URL search params.
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import type {
  Interval,
  StatsBases,
  StatsCards,
  StatsDeckCards,
  StatsDecks,
  StatsLeaders,
  StatsMatches,
  StatsMatchups,
  StatsOverview,
  StatsWeekly,
} from "../../server/api-types.js";
import { api } from "./api.js";

// The names the pages use for the answers and their rows.
export type { CardRef, GameResult, Interval, MatchupHead, MatchupRows, Rate } from "../../server/api-types.js";

/** Rates from fewer games than this are shown dimmed: a 95 % interval from 9 games is 30 to 54 points wide. */
export const SMALL_SAMPLE = 10;

export type RecentGame = StatsOverview["recent"]["items"][number];
export type LeaderRow = StatsLeaders["items"][number];
export type BaseRow = StatsBases["items"][number];
export type DeckRow = StatsDecks["items"][number];
export type MatchupRow = StatsMatchups["items"][number];
export type MatchupBaseRow = StatsMatchups["byOpponentBase"][number];
/** One card over the user's decks: results in deck, when drawn (opening hand included), not drawn, played, resourced. */
export type CardStatsRow = StatsCards["items"][number];
export type WeekRow = StatsWeekly["items"][number];
/** One best-of-three in a lobby (a rematch in the same lobby is another match). */
export type Match = StatsMatches["items"][number];
export type CardMetricsRow = StatsDeckCards["items"][number];

export const FORMATS = ["premier", "open", "eternal", "limited"] as const;
export type Format = (typeof FORMATS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z
  .string()
  .regex(DATE)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v))
  .optional()
  .catch(undefined);

/** A plain integer id ("9226435975") as a number, any other id as text. */
const urlId = (v: string): string | number => (/^(0|[1-9]\d{0,14})$/.test(v) ? Number(v) : v);

/**
 * An id in the URL. The router JSON-parses search values (`?leader=9226435975` reads as a number)
 * and writes back a text that looks like a number quoted (`leader=%229226435975%22`), so a plain
 * integer id is kept as a number here and turned into text only for the API (pickFilters).
 */
const id = (max: number) =>
  z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    .pipe(z.string().min(1).max(max))
    .transform(urlId)
    .optional()
    .catch(undefined);

/** The filters kept in the /stats URL. Anything invalid is dropped rather than failing the page. */
export const statsSearchSchema = z.object({
  format: z.enum(FORMATS).optional().catch(undefined),
  from: isoDate,
  to: isoDate,
  /** The user's leader card id. */
  leader: id(100),
  /** A deck id (as GET /api/stats/decks names it). */
  deck: id(200),
  /** 1: best-of-one games only; 3: games of best-of-three matches only. */
  bo: z.union([z.literal(1), z.literal(3)]).optional().catch(undefined),
});
export type StatsFilters = z.infer<typeof statsSearchSchema>;

/** The most games a matchup cell may be asked to have (as the API allows). */
export const MIN_GAMES_MAX = 100_000;

/** The matchup page's own URL parameters: the rows (`by`) and the fewest games a cell needs (`minGames`). */
export const matchupSearchSchema = z.object({
  by: z.enum(["leader", "deck"]).optional().catch(undefined),
  minGames: z.coerce.number().int().min(0).max(MIN_GAMES_MAX).optional().catch(undefined),
});
export type MatchupSearch = z.infer<typeof matchupSearchSchema>;

/** A 1-based page number in the URL. */
export const pageSearch = z.coerce.number().int().min(1).max(100_000).optional().catch(undefined);

const PAGE_SIZE = 10;

/** Only the filter members of a search object (drops `page` and anything else). */
export function pickFilters(search: StatsFilters): StatsFilters {
  const out: StatsFilters = {};
  if (search.format) out.format = search.format;
  if (search.from) out.from = search.from;
  if (search.to) out.to = search.to;
  if (search.leader !== undefined) out.leader = String(search.leader);
  if (search.deck !== undefined) out.deck = String(search.deck);
  if (search.bo) out.bo = search.bo;
  return out;
}

/** The filters as the URL carries them (see `id`): a plain integer id as a number. */
export function searchParams(filters: StatsFilters): StatsFilters {
  const asUrl = (v: string | number | undefined) => (v === undefined ? undefined : urlId(String(v)));
  return { ...filters, leader: asUrl(filters.leader), deck: asUrl(filters.deck) };
}

export function hasFilters(filters: StatsFilters): boolean {
  return Boolean(filters.format || filters.from || filters.to || filters.leader || filters.deck || filters.bo);
}

/** `/api/stats/{path}?format=…&from=…&to=…&leader=…&deck=…&bo=…&page=…` with empty values left out. */
export function statsUrl(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return `/api/stats/${path}${qs ? `?${qs}` : ""}`;
}

const STATS_QUERY_KEY = ["stats"] as const;

function statsQuery<T>(path: string, params: Record<string, string | number | undefined>) {
  return queryOptions({
    queryKey: [...STATS_QUERY_KEY, path, params],
    queryFn: () => api.get<T>(statsUrl(path, params)),
    // Games arrive in the background: always revalidate on mount, showing the previous answer meanwhile.
    placeholderData: keepPreviousData,
  });
}

export const statsQueries = {
  overview: (f: StatsFilters, page = 1) => statsQuery<StatsOverview>("overview", { ...pickFilters(f), page, pageSize: PAGE_SIZE }),
  leaders: (f: StatsFilters) => statsQuery<StatsLeaders>("leaders", pickFilters(f)),
  bases: (f: StatsFilters) => statsQuery<StatsBases>("bases", pickFilters(f)),
  decks: (f: StatsFilters) => statsQuery<StatsDecks>("decks", pickFilters(f)),
  matchups: (f: StatsFilters, m: MatchupSearch = {}) =>
    statsQuery<StatsMatchups>("matchups", { ...pickFilters(f), by: m.by === "deck" ? "deck" : undefined, minGames: m.minGames || undefined }),
  cards: (f: StatsFilters) => statsQuery<StatsCards>("cards", pickFilters(f)),
  weekly: (f: StatsFilters) => statsQuery<StatsWeekly>("weekly", pickFilters(f)),
  matches: (f: StatsFilters, page = 1) => statsQuery<StatsMatches>("matches", { ...pickFilters(f), page, pageSize: PAGE_SIZE }),
  deckCards: (f: StatsFilters, deckId: string, deckName?: string) =>
    statsQuery<StatsDeckCards>(`decks/${encodeURIComponent(deckId)}/cards`, { ...pickFilters(f), deckName }),
  /** Whether the user has any game at all, whatever the filters: decides the empty state. */
  anyGames: () =>
    queryOptions({
      queryKey: [...STATS_QUERY_KEY, "any-games"],
      queryFn: async () => (await api.get<StatsOverview>(statsUrl("overview", { pageSize: 1 }))).games > 0,
    }),
};

// ---- formatting -------------------------------------------------------------------------

const PERCENT = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 1 });
const DECIMAL = new Intl.NumberFormat(undefined, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const DAY = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const DAY_YEAR = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

const WHOLE_PERCENT = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });

/** An interval in whole percents: "41–77 %" (as the locale writes percents: "41%–77%"). */
export function formatInterval(i: Interval | null | undefined): string {
  if (!i) return "—";
  return `${WHOLE_PERCENT.format(i.low)}–${WHOLE_PERCENT.format(i.high)}`;
}

/** Whether a rate rests on too few games to read much into. */
export function isSmallSample(games: number): boolean {
  return games > 0 && games < SMALL_SAMPLE;
}

const POINTS = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: "exceptZero" });

/** A difference of win rates in percentage points: 16.67 → "+16.7 pp"; null → "—". */
export function formatPoints(points: number | null | undefined): string {
  return points === null || points === undefined || !Number.isFinite(points) ? "—" : `${POINTS.format(points)} pp`;
}

/** 0.6667 → "66.7%"; null → "—". */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? "—" : PERCENT.format(rate);
}

/** Wins–losses–draws: "12–7–1". */
export function formatRecord(r: { wins: number; losses: number; draws: number }): string {
  return `${r.wins}–${r.losses}–${r.draws}`;
}

/** Averages: at most two decimals, no trailing zeros. */
export function formatDecimal(value: number): string {
  return DECIMAL.format(value);
}

/** 1385 → "23m 05s"; 3720 → "1h 02m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m`;
  return `${m}m ${pad(s % 60)}s`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

/** "2026-01-05" → "Jan 5" (or "Jan 5, 2026" with the year). */
export function formatWeek(weekStart: string, withYear = false): string {
  const date = new Date(`${weekStart}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return weekStart;
  return (withYear ? DAY_YEAR : DAY).format(date);
}

/** "premier" → "Premier"; unknown formats are shown as sent. */
export function formatLabel(format: string): string {
  return format ? format[0]!.toUpperCase() + format.slice(1) : format;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
