/**
 * Registry entries (see registry.ts) of the public profile and the meta across players: GET and
 * PATCH /api/me/profile, GET /api/public/{handle}/stats, GET /api/meta/leaders and /bases, with
 * their examples (typed against the services' own answers and built from schemas.ts's cards and
 * tallies). The request body and queries are the routes' own zod schemas, as in registry.ts.
 */
import { META_MIN_GAMES } from "../../domain/meta/meta-service.js";
import { HANDLE_MAX, HANDLE_MIN } from "../../domain/profile/handle.js";
import type { MetaBases, MetaLeaders, ProfileSettings, PublicStats } from "../api-types.js";
import { LINK_BODY_LIMIT } from "../middleware/read-body.js";
import { ProfileUpdateRequest } from "../routes/me/profile.js";
import { MetaQuery } from "../routes/meta/query.js";
import { PagingQuery } from "../routes/stats/query.js";
import { BODY_413, CROSS_ORIGIN_403, DB_503, NO_STORE, SESSION_401 } from "./descriptions.js";
import type { RouteDoc } from "./registry.js";
import { HAN, OSCILLATOR, QUIGON, rate, recentGame } from "./schemas.js";

const profile = { handle: "Rey_Skywalker", publicStats: true, metaOptOut: false } satisfies ProfileSettings;

const publicStats = {
  handle: "Rey_Skywalker",
  ...rate(25, 15, 2),
  recent: {
    items: [recentGame],
    page: 1,
    pageSize: 20,
    total: 42,
  },
  leaders: [{ leader: HAN, ...rate(19, 10, 1) }],
  bases: [{ base: OSCILLATOR, ...rate(19, 10, 1) }],
} satisfies PublicStats;

const REFRESHED_AT = "2026-01-21T16:29:00.000Z";
const metaLeaders = {
  items: [{ leader: HAN, ...rate(5120, 4710, 170) }, { leader: QUIGON, ...rate(2301, 2590, 9) }],
  minGames: META_MIN_GAMES,
  refreshedAt: REFRESHED_AT,
} satisfies MetaLeaders;
const metaBases = {
  items: [{ base: OSCILLATOR, ...rate(3980, 3900, 120) }],
  minGames: META_MIN_GAMES,
  refreshedAt: REFRESHED_AT,
} satisfies MetaBases;

const META_DESCRIPTION =
  "The meta across players: games, wins, losses, draws, win rate (wins ÷ games) and its 95 % Wilson interval, over every " +
  "attributed seat (a player linked to Swubase) of players who have not opted out (`metaOptOut`). Each seat counts on its own: " +
  `a game between two Swubase players counts for both players' cards. Only rows with at least ${META_MIN_GAMES} games are listed ` +
  "(`minGames`). Read from a per-day aggregate that a job refreshes every minute: `refreshedAt` is its last run (null before " +
  "the first), and games or opt-outs since are not in yet. `from`/`to` are UTC days (a timestamp is a 400). " +
  "Answers `Cache-Control: public, max-age=60`.";
const META_ERRORS = { 400: "`invalid_request`: a query parameter is malformed (the message names it).", 503: DB_503 };

const HANDLE_RULES = `${HANDLE_MIN}–${HANDLE_MAX} letters, digits, \`_\` and \`-\`, not starting with \`-\`; reserved words (api, admin, meta, settings, …) are refused`;

export const PROFILE_META_ROUTES: RouteDoc[] = [
  {
    id: "meProfile",
    method: "get",
    path: "/api/me/profile",
    tag: "Account",
    summary: "The user's public profile settings",
    description:
      "`handle` (null until chosen), `publicStats` (the statistics are public at /u/{handle}; false until turned on) and " +
      "`metaOptOut` (the user's games are left out of the meta; false: they count).",
    auth: "session",
    response: { status: 200, description: "The settings.", example: profile, headers: NO_STORE },
    errors: { 401: SESSION_401, 503: DB_503 },
  },
  {
    id: "meProfileUpdate",
    method: "patch",
    path: "/api/me/profile",
    tag: "Account",
    summary: "Change the public profile settings",
    description:
      `Any of \`handle\` (${HANDLE_RULES}; unique whatever its case; \`null\` clears it), \`publicStats\` and \`metaOptOut\`; the others keep their value. ` +
      "Public statistics need a handle: clearing the handle turns them off too. Turning them off takes effect at once (GET /api/public/{handle}/stats answers 404). " +
      "A meta opt-out (or opt-in) takes effect at the meta's next refresh (within a minute). Answers the settings as saved.",
    auth: "session",
    sameOrigin: true,
    body: { variants: [{ name: "ProfileUpdateRequest", schema: ProfileUpdateRequest, example: { handle: "Rey_Skywalker", publicStats: true } }], contentTypes: ["application/json"], maxBytes: LINK_BODY_LIMIT },
    response: { status: 200, description: "Saved.", example: profile, headers: NO_STORE },
    errors: {
      400: "`invalid_request`: a field is malformed (the message names it), none was sent, or `publicStats: true` without a handle (or with `handle: null`).",
      401: SESSION_401,
      403: CROSS_ORIGIN_403,
      409: "`invalid_request`: another user holds this handle (in any case).",
      413: BODY_413,
      415: "`unsupported_media_type`: send application/json.",
      503: DB_503,
    },
  },
  {
    id: "publicStats",
    method: "get",
    path: "/api/public/{handle}/stats",
    tag: "Public",
    summary: "A player's public statistics",
    description:
      "The statistics a player made public (`publicStats`), by handle in any case: totals, win rate and its interval, a page of " +
      "recent games, and the results by leader and by base, as GET /api/stats/* computes them. Nothing that identifies the " +
      "account (email, user id, partner ids, tokens). An unknown handle and a private one are the same 404; made private, " +
      "a profile answers 404 at once (`Cache-Control: no-store`). Too many 404s from one address (`RATE_LIMIT_PUBLIC_NOT_FOUND_PER_15_MINUTES`) " +
      "and every public lookup from it answers 429 `too_many_requests` with Retry-After until the window ends, a public handle too.",
    auth: "none",
    parameters: [
      { name: "handle", in: "path", required: true, description: "The player's handle, in any case.", schema: { type: "string", maxLength: HANDLE_MAX }, example: "rey_skywalker" },
    ],
    query: { schema: PagingQuery },
    response: { status: 200, description: "The public statistics.", example: publicStats, headers: NO_STORE },
    errors: {
      400: "`invalid_request`: `page` or `pageSize` is malformed, or the path holds a NUL or invalid Unicode.",
      404: "`not_found`: no public statistics under this handle.",
      503: DB_503,
    },
  },
  {
    id: "metaLeaders",
    method: "get",
    path: "/api/meta/leaders",
    tag: "Public",
    summary: "The meta by leader",
    description: META_DESCRIPTION,
    auth: "none",
    query: { schema: MetaQuery },
    response: { status: 200, description: "The leaders.", example: metaLeaders, headers: { "Cache-Control": "public, max-age=60" } },
    errors: META_ERRORS,
  },
  {
    id: "metaBases",
    method: "get",
    path: "/api/meta/bases",
    tag: "Public",
    summary: "The meta by base",
    description: META_DESCRIPTION,
    auth: "none",
    query: { schema: MetaQuery },
    response: { status: 200, description: "The bases.", example: metaBases, headers: { "Cache-Control": "public, max-age=60" } },
    errors: META_ERRORS,
  },
];
