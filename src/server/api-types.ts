/**
 * The JSON bodies of the statistics, meta, profile and account endpoints, as types: what the services return,
 * as `c.json` puts it on the wire (dates become ISO strings). The web app imports these, type-only
 * (lint allows it nothing else of the server), instead of declaring its own, so a change of an answer
 * fails the web app's typecheck until its pages follow; the OpenAPI examples are typed against the
 * same answers (openapi/schemas.ts).
 */
import type { SeatResult } from "../db/schema.js";
import type { CardRef } from "../domain/cards/card-names.js";
import type { GameService } from "../domain/games/game-service.js";
import type { LinkService } from "../domain/links/link-service.js";
import type { MetaService } from "../domain/meta/meta-service.js";
import type { ProfileService } from "../domain/profile/profile-service.js";
import type { MatchupRowHead, MatchupRows } from "../domain/stats/breakdowns.js";
import type { rate } from "../domain/stats/rates.js";
import type { StatsService } from "../domain/stats/stats-service.js";
import type { Interval } from "../domain/stats/wilson.js";

/** What `c.json(value)` puts on the wire: dates become ISO strings. */
type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** The body of a service method's answer. */
export type Answer<F extends (...args: never[]) => unknown> = Json<Awaited<ReturnType<F>>>;

// ---- the parts every statistic is made of ---------------------------------------------------------

export type { CardRef, Interval, MatchupRows };
/** A draw (Karabast reports both players, or neither, as the winner) is neither a win nor a loss. */
export type GameResult = SeatResult;
/** games = wins + losses + draws; `winRate` (wins ÷ games, 0..1) and its 95 % Wilson interval, null without games. */
export type Rate = ReturnType<typeof rate>;
/** A matchup cell's row: the user's leader and, by deck, the deck. */
export type MatchupHead = Json<MatchupRowHead>;

// ---- GET /api/stats/* -------------------------------------------------------------------------------

export type StatsOverview = Answer<StatsService["overview"]>;
export type StatsLeaders = Answer<StatsService["leaders"]>;
export type StatsBases = Answer<StatsService["bases"]>;
export type StatsDecks = Answer<StatsService["decks"]>;
export type StatsDeckCards = Answer<StatsService["deckCards"]>;
export type StatsMatchups = Answer<StatsService["matchups"]>;
export type StatsCards = Answer<StatsService["cards"]>;
export type StatsMatches = Answer<StatsService["matches"]>;
export type StatsWeekly = Answer<StatsService["weekly"]>;

// ---- GET /api/meta/*, /api/me/profile, GET /api/public/{handle}/stats ------------------------------

export type MetaLeaders = Answer<MetaService["leaders"]>;
export type MetaBases = Answer<MetaService["bases"]>;
export type ProfileSettings = Answer<ProfileService["get"]>;
export type PublicStats = Answer<ProfileService["publicStats"]>;

// ---- GET /api/me/links, /api/me/events, /api/me/uncounted-games -----------------------------------

export type MeLinks = { links: Answer<LinkService["listLinks"]> };
export type MeEvents = { events: Answer<LinkService["auditTrail"]> };
export type MeUncountedGames = { games: Answer<GameService["uncountedGames"]> };
