/**
 * Response bodies for the OpenAPI document: the shared error and token schemas, and one example
 * body per route. Examples are typed against the services' own answers (`Answer<...>`,
 * src/server/api-types.ts), so a change of a response shape fails `tsc` here until the
 * documentation follows it.
 */
import { z } from "zod";
import { SCOPE_CATALOGUE } from "../../domain/clients/scopes.js";
import type { ErrorCode } from "../../domain/errors.js";
import type { GameService, IngestedPlayer } from "../../domain/games/game-service.js";
import type { LinkService } from "../../domain/links/link-service.js";
import type { StatsService } from "../../domain/stats/stats-service.js";
import { wilsonInterval } from "../../domain/stats/wilson.js";
import type { TokenResponse, TokenService } from "../../domain/tokens/token-service.js";
import type { Answer } from "../api-types.js";
import { discoveryDocument } from "../routes/oauth/discovery.js";

/** Compile-time equality of two types (used to pin the zod response schemas to the domain types). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <_T extends true>() => undefined;

// A Record over ErrorCode makes tsc insist on every code, so the enum cannot fall behind.
const ERROR_CODES: Record<ErrorCode, true> = {
  invalid_request: true,
  invalid_client: true,
  invalid_grant: true,
  unauthorized_client: true,
  unsupported_grant_type: true,
  unsupported_response_type: true,
  invalid_scope: true,
  access_denied: true,
  invalid_token: true,
  insufficient_scope: true,
  login_required: true,
  reauthentication_required: true,
  not_found: true,
  method_not_allowed: true,
  payload_too_large: true,
  unsupported_media_type: true,
  too_many_requests: true,
  temporarily_unavailable: true,
  server_error: true,
};

export const ErrorBody = z
  .object({
    error: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe("An RFC 6749 §5.2 style error code."),
    error_description: z.string().describe("A sentence for people; never a stack trace."),
    redirectTo: z
      .string()
      .optional()
      .describe("Only on GET /api/integration/authorize, for errors the approval page sends back to the partner's redirect_uri."),
  })
  .meta({ title: "Error", description: "Every error of the service, with the status given per operation." });

export const TokenResponseBody = z
  .object({
    access_token: z.string().describe("`swba_…` (64 characters; opaque to clients), sent as a Bearer token."),
    refresh_token: z.string().describe("`swbr_…` (64 characters; opaque to clients), single use: each refresh returns a new one."),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().describe("Seconds the access token lives."),
    refresh_token_expires_in: z.number().int().describe("Seconds the refresh token lives."),
    scope: z.string().describe("The granted scopes, space separated."),
  })
  .meta({ title: "TokenResponse", description: "A token pair (RFC 6749 §5.1). Sent with `Cache-Control: no-store`." });
assertType<Equals<z.output<typeof TokenResponseBody>, TokenResponse>>();

// ---- example values -------------------------------------------------------------------------

const EXAMPLE_ORIGIN = "https://swubase.example";
const EXAMPLE_REDIRECT = "https://karabast.example/swubase/callback";
const EXAMPLE_KARABAST_USER = "6952ccbe-d5d5-4506-b483-42451b9d548d";
const LINK_TOKEN = "swbl_Vq3kT8y0c6mHqk2o1xW7dZ4rN5aP9sLbE2fGhJ0uYiQ";
const ACCESS_TOKEN = "swba_Qm7tX2vK9pLw4rZaJ8dK2mQ4nR6tV8xZ0bC3eF5gH7jL9pS1uW3yA5cD7fG";
const REFRESH_TOKEN = "swbr_Qm7tX2vK9pLw4rZaT1vX3zB5dF7hK9mP2rU4wY6aC8eG0iL2nQ4sV6xZ8bD";
const USER_ID = "Yw3kQeV1rS8tN5mB2xZ7cL0d";
const GAME_ID = "68b17657-32b5-4714-aaa6-978c7cf6a1a8";
const LOBBY_ID = "8888fa84-7c33-4a87-8c66-22a96b39a16b";
// Shared with registry-profile-meta.ts's examples.
export const HAN = { id: "9226435975", name: "Han Solo", subtitle: "Worth the Risk" };
export const QUIGON = { id: "2580909557", name: "Quigon Jinn", subtitle: "Student of the Living Force" };
export const OSCILLATOR = { id: "4301437393", name: "Thermal Oscillator" };
const TEMPLE = { id: "0450346170", name: "Jedi Temple" };
export const rate = (wins: number, losses: number, draws: number) => {
  const games = wins + losses + draws;
  return { games, wins, losses, draws, winRate: games ? wins / games : null, winRateInterval: wilsonInterval(wins, games) };
};

const CLIENT_CREDENTIALS = { client_id: "karabast", client_secret: "swbs_kR2mX9qT4vB7nC1zL8dF3hJ6pW0sY5aE" } as const;

/** Request examples, in the deployed client's spelling. Test-checked against the route schemas. */
export const requestExamples = {
  linkCreate: {
    client_id: "karabast",
    external_user_id: EXAMPLE_KARABAST_USER,
    scope: "decks email profile teams",
    integration: "karabast",
    redirect_uri: EXAMPLE_REDIRECT,
    state: "af0ifjsldkj",
    metadata: {},
  },
  linkDeny: { client_id: "karabast", redirect_uri: EXAMPLE_REDIRECT, state: "af0ifjsldkj", integration: "karabast" },
  linkConfirm: { ...CLIENT_CREDENTIALS, link_token: LINK_TOKEN, external_user_id: EXAMPLE_KARABAST_USER, integration: "karabast" },
  refreshToken: { ...CLIENT_CREDENTIALS, refresh_token: REFRESH_TOKEN, external_user_id: EXAMPLE_KARABAST_USER, integration: "karabast" },
  unlink: { ...CLIENT_CREDENTIALS, external_user_id: EXAMPLE_KARABAST_USER, integration: "karabast" },
  gameResult: {
    ...CLIENT_CREDENTIALS,
    integration: "karabast",
    data: {
      gameId: GAME_ID,
      lobbyId: LOBBY_ID,
      startedAt: "2026-01-21T16:02:10.112Z",
      finishedAt: "2026-01-21T16:28:42.574Z",
      roundNumber: 7,
      sequenceNumber: 1,
      format: "premier",
      players: [
        {
          data: {
            id: EXAMPLE_KARABAST_USER,
            accessToken: ACCESS_TOKEN,
            leader: HAN.id,
            base: OSCILLATOR.id,
            deck: { id: "unknown", name: "Han2 Oscillator v2", deckSource: "swuBase" },
            isWinner: true,
          },
          cardMetrics: { "5876721507": { played: 1, resourced: 0, activated: 0, drawn: 1, discarded: 0 } },
        },
        {
          data: {
            id: "exe66",
            accessToken: null,
            leader: QUIGON.id,
            base: TEMPLE.id,
            deck: { id: "7547f2ce-fa50-459f-8a29-fbaae89ad4a4", name: "Qui-Gon Green Force - v2", deckSource: "swuBase" },
            isWinner: false,
          },
          cardMetrics: { "6059510270": { played: 1, resourced: 1, activated: 1, drawn: 2, discarded: 0 } },
        },
      ],
    },
  },
  tokenAuthorizationCode: { grant_type: "authorization_code", code: LINK_TOKEN, redirect_uri: EXAMPLE_REDIRECT, code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" },
  tokenRefresh: { grant_type: "refresh_token", refresh_token: REFRESH_TOKEN },
  revoke: { token: REFRESH_TOKEN, token_type_hint: "refresh_token" },
  introspect: { token: ACCESS_TOKEN },
} satisfies Record<string, Record<string, unknown>>;

const tokens: TokenResponse = {
  access_token: ACCESS_TOKEN,
  refresh_token: REFRESH_TOKEN,
  token_type: "Bearer",
  expires_in: 3600,
  refresh_token_expires_in: 2592000,
  scope: "decks email profile teams",
};

const authorization: Answer<LinkService["describeAuthorization"]> = {
  client: { id: "karabast", name: "Karabast" },
  integration: "karabast",
  externalUserId: EXAMPLE_KARABAST_USER,
  scopes: (["decks", "email", "profile", "teams"] as const).map((name) => ({ name, description: SCOPE_CATALOGUE[name] })),
  redirectUri: EXAMPLE_REDIRECT,
  state: "af0ifjsldkj",
  codeChallenge: null,
  codeChallengeMethod: null,
};

const redirectTo = (params: Record<string, string>) => `${EXAMPLE_REDIRECT}?${new URLSearchParams(params)}`;

const players: IngestedPlayer[] = [
  { id: EXAMPLE_KARABAST_USER, attributed: true },
  { id: "exe66", attributed: false, reason: "no_token" },
];

export const recentGame = {
  gameId: GAME_ID,
  finishedAt: "2026-01-21T16:28:42.574Z",
  format: "premier",
  myLeader: HAN,
  myBase: OSCILLATOR,
  opponentLeader: QUIGON,
  opponentBase: TEMPLE,
  result: "win" as const,
  rounds: 7,
  durationSeconds: 1592,
};

/** One 200 body per route (key = registry id). */
export const responseExamples = {
  health: { status: "ok" },
  ready: { status: "ready" },
  authorize: authorization,
  linkCreate: {
    linkToken: LINK_TOKEN,
    redirectTo: redirectTo({
      link_token: LINK_TOKEN,
      linkToken: LINK_TOKEN,
      code: LINK_TOKEN,
      karabast_user_id: EXAMPLE_KARABAST_USER,
      state: "af0ifjsldkj",
      iss: EXAMPLE_ORIGIN,
    }),
  } satisfies Answer<LinkService["createLink"]>,
  linkDeny: {
    redirectTo: redirectTo({ error: "access_denied", error_description: "The user declined the link", state: "af0ifjsldkj", iss: EXAMPLE_ORIGIN }),
  } satisfies Answer<LinkService["denyLink"]>,
  tokens,
  unlink: { success: true, unlinked: true },
  gameResult: { success: true, gameId: GAME_ID, players },
  gameResultDuplicate: { success: true, duplicate: true, gameId: GAME_ID },
  meLinks: {
    links: [
      {
        id: "0b6f3c1e-7d7a-4f3b-9a55-1f0c2d9e8a41",
        clientId: "karabast",
        clientName: "Karabast",
        integration: "karabast",
        externalUserId: EXAMPLE_KARABAST_USER,
        scopes: ["decks", "email", "profile", "teams"],
        status: "active",
        createdAt: "2026-01-20T09:14:03.000Z",
        linkedAt: "2026-01-20T09:14:07.000Z",
        lastUsedAt: "2026-01-21T16:28:43.000Z",
        revokedAt: null,
      },
    ],
  } satisfies { links: Answer<LinkService["listLinks"]> },
  meLinkDelete: { success: true },
  meEvents: {
    events: [
      {
        at: "2026-01-20T09:14:07.000Z",
        event: "link_confirmed",
        clientId: "karabast",
        clientName: "Karabast",
        externalUserId: EXAMPLE_KARABAST_USER,
        ip: "203.0.113.7",
        userAgent: "node",
        detail: null,
      },
    ],
  } satisfies { events: Answer<LinkService["auditTrail"]> },
  meUncountedGames: {
    games: [
      {
        gameId: "68b17657-32b5-4714-aaa6-978c7cf6a1a8",
        partner: "Karabast",
        externalUserId: EXAMPLE_KARABAST_USER,
        finishedAt: "2026-01-21T16:29:20.605Z",
        receivedAt: "2026-01-21T16:29:21.013Z",
        format: "premier",
        reason: "token_expired",
        result: "win",
        myLeader: { id: "SHD_013", name: "Han Solo", subtitle: "Worth the Risk" },
        opponentLeader: { id: "unknown", name: "Unknown leader" },
      },
    ],
  } satisfies { games: Answer<GameService["uncountedGames"]> },
  statsOverview: {
    ...rate(25, 15, 2),
    recent: { items: [recentGame], page: 1, pageSize: 20, total: 42 },
  } satisfies Answer<StatsService["overview"]>,
  statsLeaders: { items: [{ leader: HAN, ...rate(19, 10, 1) }] } satisfies Answer<StatsService["leaders"]>,
  statsBases: { items: [{ base: OSCILLATOR, ...rate(19, 10, 1) }] } satisfies Answer<StatsService["bases"]>,
  statsDecks: {
    items: [
      {
        deck: { id: "unknown", name: "Han2 Oscillator v2", source: "swuBase" },
        leader: HAN,
        base: OSCILLATOR,
        ...rate(8, 3, 1),
        lastPlayedAt: "2026-01-21T16:28:42.574Z",
      },
    ],
  } satisfies Answer<StatsService["decks"]>,
  statsDeckCards: {
    deck: { id: "unknown", name: "Han2 Oscillator v2", source: "swuBase" },
    leader: HAN,
    base: OSCILLATOR,
    ...rate(8, 3, 1),
    items: [
      {
        card: { id: "5876721507", name: "Aggressive Negotiations" },
        games: 12,
        avg: { drawn: 1.25, played: 0.83, resourced: 0.17, activated: 0, discarded: 0.08 },
        whenPlayed: rate(7, 1, 1),
        whenNotPlayed: rate(1, 2, 0),
      },
    ],
  } satisfies Answer<StatsService["deckCards"]>,
  statsMatchups: {
    by: "leader",
    minGames: 0,
    items: [{ myLeader: HAN, opponentLeader: QUIGON, ...rate(4, 2, 0) }],
    byOpponentBase: [{ myLeader: HAN, opponentBase: TEMPLE, ...rate(3, 2, 1) }],
  } satisfies Answer<StatsService["matchups"]>,
  statsCards: {
    ...rate(25, 15, 2),
    gamesWithCards: 40,
    items: [
      {
        card: { id: "5876721507", name: "Aggressive Negotiations" },
        inDeck: rate(12, 8, 1),
        whenDrawn: rate(9, 4, 1),
        whenNotDrawn: rate(3, 4, 0),
        improvementWhenDrawn: (9 / 14 - 3 / 7) * 100,
        whenPlayed: rate(7, 2, 0),
        whenResourced: rate(2, 2, 1),
      },
    ],
  } satisfies Answer<StatsService["cards"]>,
  statsMatches: {
    matches: 15,
    wins: 9,
    losses: 5,
    draws: 1,
    winRate: 9 / 15,
    winRateInterval: wilsonInterval(9, 15),
    items: [
      {
        matchId: `${LOBBY_ID}:${GAME_ID}`,
        lobbyId: LOBBY_ID,
        format: "premier",
        finishedAt: "2026-01-21T16:58:10.000Z",
        score: "2–1",
        myWins: 2,
        opponentWins: 1,
        draws: 0,
        result: "win",
        games: [
          { gameId: GAME_ID, sequenceNumber: 1, finishedAt: "2026-01-21T16:28:42.574Z", result: "win", myLeader: HAN, opponentLeader: QUIGON },
        ],
      },
    ],
    page: 1,
    pageSize: 20,
    total: 15,
  } satisfies Answer<StatsService["matches"]>,
  statsWeekly: { items: [{ weekStart: "2026-01-19", ...rate(6, 2, 1) }] } satisfies Answer<StatsService["weekly"]>,
  statsExport: {
    games: [
      {
        finishedAt: "2026-01-21T16:28:42.574Z",
        format: "premier",
        lobbyId: LOBBY_ID,
        matchId: `${LOBBY_ID}:${GAME_ID}`,
        myLeaderId: HAN.id,
        myLeaderName: "Han Solo, Worth the Risk",
        myBaseId: "4301437393",
        myBaseName: "Thermal Oscillator",
        deckId: "e3d4c5b6-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
        deckName: "Han Aggro",
        opponentLeaderId: QUIGON.id,
        opponentLeaderName: "Quigon Jinn, Student of the Living Force",
        opponentBaseId: "0450346170",
        opponentBaseName: "Jedi Temple",
        result: "win",
        rounds: 7,
        durationSeconds: 1766,
        gameId: GAME_ID,
      },
    ],
    truncated: false,
  } satisfies Answer<StatsService["exportGames"]>,
  discovery: discoveryDocument(EXAMPLE_ORIGIN),
  revoke: {},
  introspect: {
    active: true,
    scope: "decks email profile teams",
    client_id: "karabast",
    token_type: "Bearer",
    exp: 1769016522,
    sub: USER_ID,
    ext_user_id: EXAMPLE_KARABAST_USER,
    iss: EXAMPLE_ORIGIN,
  } satisfies Answer<TokenService["introspect"]>,
  userinfo: { sub: USER_ID, name: "Padmé", email: "padme@example.com" },
} satisfies Record<string, unknown>;
