/**
 * Every public route of the service, described once for the OpenAPI document (document.ts) and
 * the docs page (docs-page.ts). test/integration/openapi.test.ts compares this list with the
 * routes the app really registers, so a route added without an entry here fails the tests.
 *
 * Request schemas are the ones the routes validate with, imported from the route modules (never
 * re-declared); document.ts converts them to JSON Schema and renames their properties to the
 * wire spelling. To add a route: export its zod schema from the route module, add an entry
 * below (method, OpenAPI-style path, auth, the schema, an example body in the deployed client's
 * spelling, a 200 example from schemas.ts, and the error statuses the route can answer).
 */
import type { z } from "zod";
import { EXPORT_COLUMNS, EXPORT_LIMIT } from "../../domain/stats/stats-export.js";
import { LINK_BODY_LIMIT } from "../middleware/read-body.js";
import { AuthorizeQuery } from "../routes/integration/authorize.js";
import { GAME_RESULT_BODY_LIMIT, GameResultRequest } from "../routes/integration/game-result.js";
import { LinkConfirmRequest } from "../routes/integration/link-confirm.js";
import { LinkCreateRequest } from "../routes/integration/link-create.js";
import { LinkDenyRequest } from "../routes/integration/link-deny.js";
import { RefreshTokenRequest } from "../routes/integration/refresh-token.js";
import { UnlinkRequest } from "../routes/integration/unlink.js";
import { DeckCardsQuery, ExportQuery, MatchupsQuery, PagedStatsQuery, StatsFilterQuery } from "../routes/stats/query.js";
import { IntrospectRequest } from "../routes/oauth/introspect.js";
import { RevokeRequest } from "../routes/oauth/revoke.js";
import { AuthorizationCodeGrant, RefreshTokenGrant } from "../routes/oauth/token.js";
import { BODY_413, CROSS_ORIGIN_403, DB_503, NO_STORE, SESSION_401 } from "./descriptions.js";
import { PROFILE_META_ROUTES } from "./registry-profile-meta.js";
import { requestExamples, responseExamples } from "./schemas.js";

type HttpMethod = "get" | "post" | "patch" | "delete";

/**
 * Who may call: `partner` = a registered client, by HTTP Basic or client_id/client_secret in the
 * body (RFC 6749 §2.3.1); `session` = the better-auth session cookie; `bearer` = an access token;
 * `sessionOrStats` = a session cookie, or an access token whose link has the `stats` scope.
 */
export type AuthKind = "partner" | "session" | "bearer" | "sessionOrStats" | "none";

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

type BodyContentType = "application/json" | "application/x-www-form-urlencoded";

/** A JSON Schema fragment, as OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>;

export interface ParameterDoc {
  name: string;
  in: "query" | "path";
  required?: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

export interface BodyVariant {
  /** The component name in `#/components/schemas`. */
  name: string;
  /** The zod schema the route validates with. */
  schema: z.ZodType;
  /** A body in the deployed client's spelling; the tests parse it with `schema`. */
  example: Record<string, unknown>;
  title?: string;
}

export interface RouteDoc {
  /** The operationId. */
  id: string;
  method: HttpMethod;
  /** OpenAPI style: `/api/me/links/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description: string;
  auth: AuthKind;
  /** Browser endpoints that refuse requests whose Origin is not ours (403). */
  sameOrigin?: boolean;
  /**
   * The zod schema the route parses its query with (its `.meta` gives each parameter's description
   * and example); a field of integration-fields.ts is listed under every spelling it accepts.
   */
  query?: { schema: z.ZodType; description?: string };
  parameters?: ParameterDoc[];
  body?: {
    variants: BodyVariant[];
    contentTypes: BodyContentType[];
    maxBytes: number;
    /** Set when the body's schema is not the route's own (explains where it comes from). */
    note?: string;
  };
  response: {
    status: 200 | 302;
    description: string;
    contentType?: "application/json" | "text/html" | "text/csv";
    /** The same answer in other content types (e.g. JSON beside CSV), with an example each. */
    alternatives?: Record<string, unknown>;
    /** A schema name in `#/components/schemas` (see document.ts), when the body has one. */
    schemaRef?: "TokenResponse";
    example?: unknown;
    /** More named examples (e.g. the duplicate answer of game-result). */
    examples?: Record<string, unknown>;
    headers?: Record<string, string>;
  };
  /** The error statuses this route answers, with what they mean here. */
  errors: Partial<Record<ErrorStatus, string>>;
}

const BOTH_TYPES: BodyContentType[] = ["application/json", "application/x-www-form-urlencoded"];
const body = (variants: BodyVariant[], contentTypes = BOTH_TYPES, maxBytes = LINK_BODY_LIMIT) => ({ variants, contentTypes, maxBytes });

const BODY_415 = "`unsupported_media_type`: only application/json and application/x-www-form-urlencoded.";
const PARTNER_401 = "`invalid_client`: unknown client or wrong secret, or no credentials.";

const STATS_ERRORS = {
  400: "`invalid_request`: a query parameter is malformed (the message names it).",
  401:
    '`login_required`: neither a session cookie nor a Bearer token (with `WWW-Authenticate: Bearer realm="swubase"`); ' +
    '`invalid_token`: the Bearer token is unknown, expired or revoked (with `WWW-Authenticate: Bearer realm="swubase", error="invalid_token"`).',
  403: '`insufficient_scope`: the Bearer token\'s link lacks the `stats` scope (with `WWW-Authenticate: Bearer realm="swubase", error="insufficient_scope", scope="stats"`).',
  503: DB_503,
};
const STATS_WHO =
  "The caller's own games: the signed-in user's, or, with `Authorization: Bearer <access token>` whose link has the `stats` scope " +
  "(RFC 6750), that link's user's (a Bearer header is judged alone, a cookie beside it is ignored).";
const STATS_QUERY_NOTE = "The query parameters are listed from the zod schema the route parses them with (src/server/routes/stats/query.ts).";
const STATS_RESULTS_NOTE =
  "Results are counted as wins, losses and draws (Karabast reports a draw as both players, or neither, winning); " +
  "`winRate` is wins ÷ games, so a draw counts as a game not won; `winRateInterval` is its 95 % Wilson score interval " +
  "(`{ low, high }`, 0..1; null without games).";

const stats = (id: string, path: string, summary: string, example: unknown, query: z.ZodType = StatsFilterQuery): RouteDoc => ({
  id,
  method: "get",
  path,
  tag: "Statistics",
  summary,
  description: `${STATS_WHO} ${STATS_RESULTS_NOTE} Answers \`Cache-Control: private, no-store\`. ${STATS_QUERY_NOTE}`,
  auth: "sessionOrStats",
  query: { schema: query },
  response: { status: 200, description: "The statistics.", example },
  errors: STATS_ERRORS,
});

const userinfo = (method: HttpMethod): RouteDoc => ({
  id: method === "get" ? "oauthUserinfo" : "oauthUserinfoPost",
  method,
  path: "/oauth/userinfo",
  tag: "OAuth 2.0",
  summary: "Who the access token belongs to",
  description: "`sub` always; `name` with the profile scope and `email` with the email scope. GET and POST behave the same.",
  auth: "bearer",
  response: { status: 200, description: "The user.", example: responseExamples.userinfo, headers: NO_STORE },
  errors: { 401: "`invalid_token`: no Bearer token, or it is invalid, expired or revoked (with WWW-Authenticate).", 503: DB_503 },
});

export const ROUTES: RouteDoc[] = [
  // ---- operations ----------------------------------------------------------------------------
  {
    id: "health",
    method: "get",
    path: "/api/health",
    tag: "Operations",
    summary: "Liveness",
    description: "The process is up. Does not touch the database.",
    auth: "none",
    response: { status: 200, description: "Up.", example: responseExamples.health },
    errors: {},
  },
  {
    id: "ready",
    method: "get",
    path: "/api/ready",
    tag: "Operations",
    summary: "Readiness",
    description: "200 when the database answers within 2 s, else 503.",
    auth: "none",
    response: { status: 200, description: "Ready.", example: responseExamples.ready },
    errors: { 503: DB_503 },
  },

  // ---- the approval page (browser, session) --------------------------------------------------
  {
    id: "integrationAuthorize",
    method: "get",
    path: "/api/integration/authorize",
    tag: "Link approval (browser)",
    summary: "Check an approval request",
    description:
      "The approval page (/settings/link/{integration}) sends its own query here before it shows anything. " +
      "An unknown client_id or an unregistered redirect_uri is an error without `redirectTo` (the page shows it); " +
      "other errors carry `redirectTo`, where the page sends the browser (RFC 6749 §4.1.2.1).",
    auth: "session",
    query: { schema: AuthorizeQuery },
    response: { status: 200, description: "The request, for the approval card.", example: responseExamples.authorize, headers: NO_STORE },
    errors: {
      400: "`invalid_request`, `invalid_client` or `invalid_scope`; with `redirectTo` when the partner may be told.",
      401: SESSION_401,
      503: DB_503,
    },
  },
  {
    id: "linkCreate",
    method: "post",
    path: "/api/integration/link-create",
    tag: "Link approval (browser)",
    summary: "Approve a link",
    description:
      "The signed-in user pressed Approve. Returns a single-use link token and the partner URL the page sends the browser to " +
      "(it carries the token as link_token, linkToken and code, with karabast_user_id, state and iss). " +
      "A second approval replaces the user's still-pending one. A session created more than 24 h ago must confirm the password " +
      "first (403 `reauthentication_required`: the page signs in again and retries).",
    auth: "session",
    sameOrigin: true,
    body: body([{ name: "LinkCreateRequest", schema: LinkCreateRequest, example: requestExamples.linkCreate }]),
    response: { status: 200, description: "Approved.", example: responseExamples.linkCreate, headers: NO_STORE },
    errors: {
      400: "`invalid_request`, `invalid_client` or `invalid_scope`.",
      401: SESSION_401,
      403: `${CROSS_ORIGIN_403} \`reauthentication_required\`: the session is older than 24 h; confirm the password (sign in again) and retry.`,
      413: BODY_413,
      415: BODY_415,
      503: DB_503,
    },
  },
  {
    id: "linkDeny",
    method: "post",
    path: "/api/integration/link-deny",
    tag: "Link approval (browser)",
    summary: "Decline a link",
    description: "The signed-in user pressed Cancel. Returns the partner URL with `error=access_denied` for the page to send the browser to.",
    auth: "session",
    sameOrigin: true,
    body: body([{ name: "LinkDenyRequest", schema: LinkDenyRequest, example: requestExamples.linkDeny }]),
    response: { status: 200, description: "Declined.", example: responseExamples.linkDeny },
    errors: {
      400: "`invalid_request` or `invalid_client` (unknown client, unregistered redirect_uri).",
      401: SESSION_401,
      403: CROSS_ORIGIN_403,
      413: BODY_413,
      415: BODY_415,
      503: DB_503,
    },
  },

  // ---- partner, server to server -------------------------------------------------------------
  {
    id: "linkConfirm",
    method: "post",
    path: "/api/integration/link-confirm",
    tag: "Partner (server to server)",
    summary: "Exchange a link token for the first token pair",
    description:
      "Karabast's server confirms the link the user approved. Confirming revokes any older active link of the same partner user " +
      "and of the same Swubase user. The same link token confirmed again by the same partner for the same partner user within 60 s " +
      "of its first confirmation (the player's browser loaded the callback twice) returns the link's current pair. " +
      "An unknown, expired, used, or other-client/other-user link token is one `invalid_grant`; reused by the same partner after " +
      "those 60 s, it also revokes the link it activated.",
    auth: "partner",
    body: body([{ name: "LinkConfirmRequest", schema: LinkConfirmRequest, example: requestExamples.linkConfirm }]),
    response: { status: 200, description: "The tokens.", schemaRef: "TokenResponse", example: responseExamples.tokens, headers: NO_STORE },
    errors: {
      400: "`invalid_request` (a field is missing or malformed) or `invalid_grant` (the link token is not usable).",
      401: PARTNER_401,
      413: BODY_413,
      415: BODY_415,
      503: DB_503,
    },
  },
  {
    id: "refreshToken",
    method: "post",
    path: "/api/integration/refresh-token",
    tag: "Partner (server to server)",
    summary: "Rotate a refresh token",
    description:
      "Returns a new pair. The previous refresh token, sent again within the grace period and before the new one was used, " +
      "returns the same current pair (concurrent game servers, crash retries); any later replay is `invalid_grant` and revokes the link.",
    auth: "partner",
    body: body([{ name: "RefreshTokenRequest", schema: RefreshTokenRequest, example: requestExamples.refreshToken }]),
    response: { status: 200, description: "The new tokens.", schemaRef: "TokenResponse", example: responseExamples.tokens, headers: NO_STORE },
    errors: {
      400: "`invalid_request` or `invalid_grant` (unknown, expired, replayed or other-user refresh token).",
      401: PARTNER_401,
      413: BODY_413,
      415: BODY_415,
      503: DB_503,
    },
  },
  {
    id: "unlink",
    method: "post",
    path: "/api/integration/unlink",
    tag: "Partner (server to server)",
    summary: "End the link of a partner user",
    description: "Idempotent: `unlinked` is false when there was nothing to unlink.",
    auth: "partner",
    body: body([{ name: "UnlinkRequest", schema: UnlinkRequest, example: requestExamples.unlink }]),
    response: { status: 200, description: "Done.", example: responseExamples.unlink },
    errors: { 400: "`invalid_request`.", 401: PARTNER_401, 413: BODY_413, 415: BODY_415, 503: DB_503 },
  },
  {
    id: "karabastGameResult",
    method: "post",
    path: "/api/integration/karabast/game-result",
    tag: "Partner (server to server)",
    summary: "Report a finished game",
    description:
      "Karabast reports a game; each player's accessToken says which Swubase user that player is (tokens are never stored). " +
      "Idempotent per client and gameId: a repeat answers `duplicate: true` and stores nothing. " +
      "Validation errors name the field, e.g. `data.players[1].data.leader is required`. Unknown members are kept in the stored payload. " +
      "JSON only in practice: `data` is an object, which a form body cannot carry.",
    auth: "partner",
    body: body([{ name: "GameResultRequest", schema: GameResultRequest, example: requestExamples.gameResult }], ["application/json"], GAME_RESULT_BODY_LIMIT),
    response: {
      status: 200,
      description: "Stored (or already stored).",
      example: responseExamples.gameResult,
      examples: { duplicate: responseExamples.gameResultDuplicate },
      headers: NO_STORE,
    },
    errors: {
      400: "`invalid_request`: the message names the field.",
      401: PARTNER_401,
      403: "`unauthorized_client`: the client is not a Karabast integration.",
      413: "`payload_too_large`: the body exceeds 256 kB.",
      415: BODY_415,
      503: DB_503,
    },
  },

  // ---- the signed-in user's account ----------------------------------------------------------
  {
    id: "meLinks",
    method: "get",
    path: "/api/me/links",
    tag: "Account",
    summary: "The user's links",
    description: "Every link of the signed-in user (at most 100, newest first), whatever its status.",
    auth: "session",
    response: { status: 200, description: "The links.", example: responseExamples.meLinks, headers: NO_STORE },
    errors: { 401: SESSION_401, 503: DB_503 },
  },
  {
    id: "meEvents",
    method: "get",
    path: "/api/me/events",
    tag: "Account",
    summary: "The user's link events",
    description:
      "The audit log of the signed-in user's links, newest first (at most 50): link_requested, link_approved, link_denied, link_confirmed, link_replaced (another link took this one's place, e.g. another Swubase account linked the same partner account), token_refreshed, refresh_reuse_detected, unlinked_by_user, unlinked_by_partner, token_rejected. Never a token.",
    auth: "session",
    response: { status: 200, description: "The events.", example: responseExamples.meEvents, headers: NO_STORE },
    errors: { 401: SESSION_401, 503: DB_503 },
  },
  {
    id: "meUncountedGames",
    method: "get",
    path: "/api/me/uncounted-games",
    tag: "Account",
    summary: "Games not counted",
    description:
      "\"Why wasn't my game counted?\": the newest games (at most 50) a partner reported for one of the user's partner ids while the user owned it (from linking until someone else linked that id), that were not attributed to the user. `reason`: `no_token` (the partner sent no token: it does not consider you linked), `invalid_token` (a token we never issued), `link_revoked` (the token's link was unlinked), `token_expired` (past its expiry and a minute of leeway), `token_user_mismatch` (a token of another account). `result` is `win`, `loss` or `draw`.",
    auth: "session",
    response: { status: 200, description: "The games.", example: responseExamples.meUncountedGames, headers: NO_STORE },
    errors: { 401: SESSION_401, 503: DB_503 },
  },
  {
    id: "meLinkDelete",
    method: "delete",
    path: "/api/me/links/{id}",
    tag: "Account",
    summary: "Unlink",
    description: "Revokes one of the user's active links immediately (its tokens stop working).",
    auth: "session",
    sameOrigin: true,
    parameters: [{ name: "id", in: "path", required: true, description: "The link id (from GET /api/me/links).", schema: { type: "string", maxLength: 100 } }],
    response: { status: 200, description: "Unlinked.", example: responseExamples.meLinkDelete },
    errors: {
      400: "`invalid_request`: the id is too long.",
      401: SESSION_401,
      403: CROSS_ORIGIN_403,
      404: "`not_found`: no active link with this id on the account.",
      503: DB_503,
    },
  },

  // ---- statistics ----------------------------------------------------------------------------
  stats("statsOverview", "/api/stats/overview", "Totals, win rate and recent games", responseExamples.statsOverview, PagedStatsQuery),
  stats("statsLeaders", "/api/stats/leaders", "Results by leader", responseExamples.statsLeaders),
  stats("statsBases", "/api/stats/bases", "Results by base", responseExamples.statsBases),
  stats("statsDecks", "/api/stats/decks", "Results by deck", responseExamples.statsDecks),
  {
    ...stats("statsDeckCards", "/api/stats/decks/{deckId}/cards", "Per-card metrics of one deck", responseExamples.statsDeckCards, DeckCardsQuery),
    parameters: [
      { name: "deckId", in: "path", required: true, description: "The deck id as reported (\"unknown\" for decks Karabast could not identify).", schema: { type: "string", maxLength: 200 } },
    ],
  },
  {
    ...stats("statsMatchups", "/api/stats/matchups", "Matchup matrix: my leader or deck against the opponent's leader and base", responseExamples.statsMatchups, MatchupsQuery),
    description:
      `${STATS_WHO} The matchup matrix as its non-empty cells, most games first: the user's leader (or, with \`by=deck\`, deck: ` +
      "`myDeck` by id and name as GET /api/stats/decks groups it, with `myLeader` its latest leader within the filter) against the " +
      "opponent's leader in `items` (the same rows as before the matrix, by leader) and against the opponent's base in " +
      "`byOpponentBase`; each cell a tally. Cells with fewer than `minGames` games are left out. " +
      `${STATS_RESULTS_NOTE} Answers \`Cache-Control: private, no-store\`. ${STATS_QUERY_NOTE}`,
  },
  {
    ...stats("statsCards", "/api/stats/cards", "Per-card metrics over the user's decks (17lands-style)", responseExamples.statsCards),
    description:
      `${STATS_WHO} One row per card of the user's decks within the filter (narrow it with \`deck\` and \`leader\`), most games first; ` +
      "the seat's own leader and base, which Karabast lists among the cards, are left out. Each is a tally with its sample size " +
      "(`games`): `inDeck`, games whose card metrics list the card (Karabast lists the whole deck list); `whenDrawn`, games where " +
      "its `drawn` count is at least 1 (Karabast counts the opening hand as drawn, so this is 17lands' games in hand); " +
      "`whenNotDrawn`, the other games in deck; `whenPlayed` and `whenResourced`, games where it was played, or resourced, at " +
      "least once. `improvementWhenDrawn` (IWD) is whenDrawn's win rate minus whenNotDrawn's, in percentage points, null " +
      "unless both have games. Before them: the filter's totals and `gamesWithCards`, how many of those games came with card " +
      `metrics. ${STATS_RESULTS_NOTE} Answers \`Cache-Control: private, no-store\`. ${STATS_QUERY_NOTE}`,
  },
  {
    ...stats("statsMatches", "/api/stats/matches", "Best-of-three matches", responseExamples.statsMatches, PagedStatsQuery),
    description:
      `${STATS_WHO} Their best-of-three matches, newest first.` +
      " A match is a run of games in one lobby whose sequence number " +
      "rises from 1: a game with sequence number 1, or not above the previous game's, starts a new match, so a rematch in the same " +
      "lobby is another match. Listed are matches with a game of sequence number 2 or more. A match is won with more game wins " +
      "than losses, lost with fewer, else drawn; `winRate` is matches won ÷ matches. `matchId` names a match by its lobby and " +
      "first game. Answers `Cache-Control: private, no-store`. " +
      STATS_QUERY_NOTE,
  },
  stats("statsWeekly", "/api/stats/weekly", "Results per week", responseExamples.statsWeekly),
  {
    ...stats("statsExport", "/api/stats/export", "Every game as a CSV or JSON file", undefined, ExportQuery),
    description:
      `${STATS_WHO} One row per game, newest first, at most ${EXPORT_LIMIT.toLocaleString("en")} (\`truncated\` in JSON and the ` +
      "`X-Export-Truncated` header say whether more matched). Columns: " +
      EXPORT_COLUMNS.map((c) => `\`${c}\``).join(", ") +
      ". `matchId` is the id GET /api/stats/matches gives the game's best-of-three match under the same filter, empty for a game " +
      "in no listed match. CSV per RFC 4180 (header row, CRLF, quoted fields with doubled quotes; a text field starting with " +
      "`=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so spreadsheets do not run it as a formula). The file type is " +
      "`format=csv` or `format=json` (no game format has those names, so they filter nothing), or `as`; any other `format` " +
      "filters by game format as on every statistics endpoint, so `?as=json&format=premier` does both. `as` and `format` " +
      "naming different file types is a 400. Answers `Content-Disposition: attachment` and `Cache-Control: private, no-store`. " +
      STATS_QUERY_NOTE,
    response: {
      status: 200,
      description: "The games: `text/csv; charset=utf-8` (csv), or `{ games, truncated }` (json).",
      contentType: "text/csv",
      example:
        EXPORT_COLUMNS.join(",") +
        "\r\n2026-01-21T16:28:42.574Z,premier,8888fa84-7c33-4a87-8c66-22a96b39a16b,8888fa84-7c33-4a87-8c66-22a96b39a16b:68b17657-32b5-4714-aaa6-978c7cf6a1a8," +
        '9226435975,"Han Solo, Worth the Risk",4301437393,Thermal Oscillator,e3d4c5b6-1a2b-4c3d-8e9f-0a1b2c3d4e5f,Han Aggro,' +
        '2580909557,"Quigon Jinn, Student of the Living Force",0450346170,Jedi Temple,win,7,1766,68b17657-32b5-4714-aaa6-978c7cf6a1a8\r\n',
      alternatives: { "application/json": responseExamples.statsExport },
      headers: { "Content-Disposition": 'attachment; filename="swubase-stats-2026-01-21.csv"', "X-Export-Truncated": "false" },
    },
  },

  // ---- public profiles and the meta (registry-profile-meta.ts) ---------------------------------
  ...PROFILE_META_ROUTES,

  // ---- standard OAuth 2.0 ----------------------------------------------------------------------
  {
    id: "oauthMetadata",
    method: "get",
    path: "/.well-known/oauth-authorization-server",
    tag: "OAuth 2.0",
    summary: "Authorization server metadata (RFC 8414)",
    description: "Endpoints, scopes and methods for standard OAuth clients. Cached for 5 minutes.",
    auth: "none",
    response: { status: 200, description: "The metadata.", example: responseExamples.discovery, headers: { "Cache-Control": "public, max-age=300" } },
    errors: {},
  },
  {
    id: "oauthAuthorize",
    method: "get",
    path: "/oauth/authorize",
    tag: "OAuth 2.0",
    summary: "Authorization endpoint",
    description:
      "Redirects to the approval page (/settings/link/{integration}) with the query unchanged; the page validates it. " +
      "The parameters are those of GET /api/integration/authorize.",
    auth: "none",
    query: { schema: AuthorizeQuery, description: "Passed through to the approval page, which checks it with the same schema as GET /api/integration/authorize." },
    response: { status: 302, description: "To the approval page.", headers: { Location: "/settings/link/{integration}?{the same query}" } },
    errors: { 503: DB_503 },
  },
  {
    id: "oauthToken",
    method: "post",
    path: "/oauth/token",
    tag: "OAuth 2.0",
    summary: "Token endpoint (RFC 6749 §3.2)",
    description:
      "authorization_code (the code is the link token; PKCE per RFC 7636 when the request had a challenge) and refresh_token grants, " +
      "on the same token service as link-confirm and refresh-token. A refresh cannot add scopes.",
    auth: "partner",
    body: body([
      { name: "AuthorizationCodeGrant", title: "grant_type=authorization_code", schema: AuthorizationCodeGrant, example: requestExamples.tokenAuthorizationCode },
      { name: "RefreshTokenGrant", title: "grant_type=refresh_token", schema: RefreshTokenGrant, example: requestExamples.tokenRefresh },
    ]),
    response: { status: 200, description: "The tokens.", schemaRef: "TokenResponse", example: responseExamples.tokens, headers: NO_STORE },
    errors: {
      400: "`invalid_request`, `invalid_grant`, `invalid_scope` or `unsupported_grant_type`.",
      401: PARTNER_401,
      413: BODY_413,
      415: BODY_415,
      503: DB_503,
    },
  },
  {
    id: "oauthRevoke",
    method: "post",
    path: "/oauth/revoke",
    tag: "OAuth 2.0",
    summary: "Revoke a token (RFC 7009)",
    description: "Revokes the whole link the token belongs to. Unknown tokens and other clients' tokens answer 200 as well.",
    auth: "partner",
    body: body([{ name: "RevokeRequest", schema: RevokeRequest, example: requestExamples.revoke }]),
    response: { status: 200, description: "Revoked (or nothing to revoke).", example: responseExamples.revoke },
    errors: { 400: "`invalid_request`.", 401: PARTNER_401, 413: BODY_413, 415: BODY_415, 503: DB_503 },
  },
  {
    id: "oauthIntrospect",
    method: "post",
    path: "/oauth/introspect",
    tag: "OAuth 2.0",
    summary: "Introspect a token (RFC 7662)",
    description: "A client only sees its own tokens; others', and dead ones, are `{\"active\": false}`.",
    auth: "partner",
    body: body([{ name: "IntrospectRequest", schema: IntrospectRequest, example: requestExamples.introspect }]),
    response: { status: 200, description: "The token's state.", example: responseExamples.introspect, examples: { inactive: { active: false } }, headers: NO_STORE },
    errors: { 400: "`invalid_request`.", 401: PARTNER_401, 413: BODY_413, 415: BODY_415, 503: DB_503 },
  },
  userinfo("get"),
  userinfo("post"),

  // ---- this documentation ----------------------------------------------------------------------
  {
    id: "openapi",
    method: "get",
    path: "/api/openapi.json",
    tag: "Documentation",
    summary: "This OpenAPI 3.1 document",
    description: "Generated from the routes' own zod schemas. Cached for 5 minutes.",
    auth: "none",
    response: { status: 200, description: "The document.", headers: { "Cache-Control": "public, max-age=300" } },
    errors: {},
  },
  {
    id: "docs",
    method: "get",
    path: "/api/docs",
    tag: "Documentation",
    summary: "Readable API documentation",
    description: "This document as a server-rendered HTML page (no scripts).",
    auth: "none",
    response: { status: 200, description: "The page.", contentType: "text/html", headers: { "Cache-Control": "public, max-age=300" } },
    errors: {},
  },
];

/**
 * Paths deliberately left out of the document. better-auth owns /api/auth/* (sign-up/email,
 * sign-in/email, sign-out, get-session, ...); its contract is better-auth's, not ours.
 */
export const UNDOCUMENTED = [
  { path: "/api/auth/*", reason: "better-auth's own endpoints (see https://www.better-auth.com/docs)" },
  { path: "/metrics", reason: "Prometheus metrics for the operator's scraper (METRICS_TOKEN; README, Metrics), not part of the API" },
] as const;
