/**
 * The signed-in user's statistics (GET /api/stats/*): response types, query options, and the
 * filters every call carries (format, from, to, leader, deck, bo), which live in the /stats URL
 * search params.
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "./api.js";

/** A card as the API names it; `name` falls back to the id for cards missing from the catalogue ("Unknown leader" when none was reported). */
export interface CardRef {
  id: string;
  name: string;
  subtitle?: string;
}

/** A draw (Karabast reports both players, or neither, as the winner) is neither a win nor a loss. */
export type GameResult = "win" | "loss" | "draw";

/** A 95 % Wilson score interval, 0..1. */
export interface Interval {
  low: number;
  high: number;
}

/** wins + losses + draws = games. */
export interface Rate {
  games: number;
  wins: number;
  losses: number;
  draws: number;
  /** wins ÷ games (a draw is a game not won), 0..1; null without games. */
  winRate: number | null;
  /** The win rate's 95 % Wilson interval; null without games. */
  winRateInterval: Interval | null;
}

/** Rates from fewer games than this are shown dimmed: a 95 % interval from 9 games is 30 to 54 points wide. */
export const SMALL_SAMPLE = 10;

export interface RecentGame {
  gameId: string;
  finishedAt: string;
  format: string;
  myLeader: CardRef;
  myBase: CardRef;
  opponentLeader: CardRef;
  opponentBase: CardRef;
  result: GameResult;
  rounds: number | null;
  durationSeconds: number;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Overview extends Rate {
  recent: Paged<RecentGame>;
}

export interface DeckRef {
  /** The Swubase deck id; null for a deck that is not a Swubase deck, "unknown" when Karabast could not tell. */
  id: string | null;
  name: string | null;
  source: string | null;
}

export interface LeaderRow extends Rate {
  leader: CardRef;
}
export interface BaseRow extends Rate {
  base: CardRef;
}
export interface DeckRow extends Rate {
  deck: DeckRef;
  leader: CardRef;
  base: CardRef;
  lastPlayedAt: string;
}
/** The matchup matrix's rows: the user's leader, or the user's deck. */
export type MatchupRows = "leader" | "deck";

/** A cell's row: the user's leader and, by deck, the deck (its leader the latest it was played with, within the filters). */
export interface MatchupHead {
  myLeader: CardRef;
  myDeck?: DeckRef;
}
export interface MatchupRow extends MatchupHead, Rate {
  opponentLeader: CardRef;
}
export interface MatchupBaseRow extends MatchupHead, Rate {
  opponentBase: CardRef;
}
/** GET /api/stats/matchups: the cells × opponent leader (`items`) and × opponent base, each with at least `minGames` games. */
export interface Matchups {
  by: MatchupRows;
  minGames: number;
  items: MatchupRow[];
  byOpponentBase: MatchupBaseRow[];
}

/** One card over the user's decks: results in deck, when drawn (opening hand included), not drawn, played, resourced. */
export interface CardStatsRow {
  card: CardRef;
  inDeck: Rate;
  whenDrawn: Rate;
  whenNotDrawn: Rate;
  /** Improvement when drawn: whenDrawn's win rate − whenNotDrawn's, in percentage points; null unless both have games. */
  improvementWhenDrawn: number | null;
  whenPlayed: Rate;
  whenResourced: Rate;
}
export interface CardStats extends Rate {
  /** How many of the filter's games came with card metrics. */
  gamesWithCards: number;
  items: CardStatsRow[];
}
export interface WeekRow extends Rate {
  /** Monday of the ISO week, YYYY-MM-DD (UTC). */
  weekStart: string;
}

export interface MatchGame {
  gameId: string;
  sequenceNumber: number;
  finishedAt: string;
  result: GameResult;
  myLeader: CardRef;
  opponentLeader: CardRef;
}

/** One best-of-three in a lobby (a rematch in the same lobby is another match). */
export interface Match {
  /** Stable: the lobby and the match's first game. */
  matchId: string;
  lobbyId: string;
  format: string;
  finishedAt: string;
  /** e.g. "2–1" (my wins first), "1–1–1" with drawn games. */
  score: string;
  myWins: number;
  opponentWins: number;
  draws: number;
  /** More game wins than the opponent: win; fewer: loss; as many: draw. */
  result: GameResult;
  games: MatchGame[];
}

export interface Matches extends Paged<Match> {
  matches: number;
  wins: number;
  losses: number;
  draws: number;
  /** Matches won ÷ matches. */
  winRate: number | null;
  winRateInterval: Interval | null;
}

export interface CardMetricsRow {
  card: CardRef;
  games: number;
  avg: { drawn: number; played: number; resourced: number; activated: number; discarded: number };
  whenPlayed: Rate;
  whenNotPlayed: Rate;
}

export interface DeckCards extends Rate {
  deck: DeckRef;
  leader: CardRef | null;
  base: CardRef | null;
  items: CardMetricsRow[];
}

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

export const PAGE_SIZE = 10;

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

export const STATS_QUERY_KEY = ["stats"] as const;

function statsQuery<T>(path: string, params: Record<string, string | number | undefined>) {
  return queryOptions({
    queryKey: [...STATS_QUERY_KEY, path, params],
    queryFn: () => api.get<T>(statsUrl(path, params)),
    // Games arrive in the background: always revalidate on mount, showing the previous answer meanwhile.
    placeholderData: keepPreviousData,
  });
}

export const statsQueries = {
  overview: (f: StatsFilters, page = 1) => statsQuery<Overview>("overview", { ...pickFilters(f), page, pageSize: PAGE_SIZE }),
  leaders: (f: StatsFilters) => statsQuery<{ items: LeaderRow[] }>("leaders", pickFilters(f)),
  bases: (f: StatsFilters) => statsQuery<{ items: BaseRow[] }>("bases", pickFilters(f)),
  decks: (f: StatsFilters) => statsQuery<{ items: DeckRow[] }>("decks", pickFilters(f)),
  matchups: (f: StatsFilters, m: MatchupSearch = {}) =>
    statsQuery<Matchups>("matchups", { ...pickFilters(f), by: m.by === "deck" ? "deck" : undefined, minGames: m.minGames || undefined }),
  cards: (f: StatsFilters) => statsQuery<CardStats>("cards", pickFilters(f)),
  weekly: (f: StatsFilters) => statsQuery<{ items: WeekRow[] }>("weekly", pickFilters(f)),
  matches: (f: StatsFilters, page = 1) => statsQuery<Matches>("matches", { ...pickFilters(f), page, pageSize: PAGE_SIZE }),
  deckCards: (f: StatsFilters, deckId: string, deckName?: string) =>
    statsQuery<DeckCards>(`decks/${encodeURIComponent(deckId)}/cards`, { ...pickFilters(f), deckName }),
  /** Whether the user has any game at all, whatever the filters: decides the empty state. */
  anyGames: () =>
    queryOptions({
      queryKey: [...STATS_QUERY_KEY, "any-games"],
      queryFn: async () => (await api.get<Overview>(statsUrl("overview", { pageSize: 1 }))).games > 0,
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
