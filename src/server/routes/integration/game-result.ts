/**
 * POST /api/integration/karabast/game-result: Karabast reports a finished game (client
 * credentials as for link-confirm). Idempotent per client and game id: a repeat answers
 * `{success:true, duplicate:true}` and stores nothing. Validation errors name the field, e.g.
 * `data.players[1].data.leader is required`. Members we do not know are kept in the stored payload.
 */
import { Hono } from "hono";
import { z } from "zod";
import { OAuthError } from "../../../domain/errors.js";
import { MAX_CARDS_PER_PLAYER, UNKNOWN_CARD_ID, type CardMetrics, type GameResult, type GameResultPlayer } from "../../../domain/games/game-result.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient, checkIntegration } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { integrationField, type IntegrationFields } from "../../schemas/integration-fields.js";

export const GAME_RESULT_BODY_LIMIT = 256 * 1024;

const id = z.string().min(1).max(200);
const optionalText = (max: number) => z.string().max(max).nullish();
const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().min(0).max(1_000_000).default(0);

const CardMetricsSchema = z.object({ played: count, resourced: count, activated: count, drawn: count, discarded: count }).loose();

/**
 * A card id the deployed client may leave out: it sends `player.deckLeader?.id` and
 * `player.base?.id`, so a missing, null or empty one is stored as unknown and the game still
 * counts for both players.
 */
const optionalCard = z
  .string()
  .max(200)
  .nullish()
  .transform((v) => v || UNKNOWN_CARD_ID);

/**
 * The deck: `id` is the Swubase deck id, null when the deck is not a Swubase deck link (another
 * deck site, a pasted deck), "unknown" for an unlinked player; `name` may be absent. A missing
 * deck is a deck we know nothing of.
 */
const DeckSchema = z
  .object({ id: z.string().max(200).nullish().transform((v) => v || null), name: optionalText(500), deckSource: optionalText(100) })
  .loose()
  .nullish()
  .transform((d) => d ?? { id: null });

const PlayerSchema = z
  .object({
    data: z
      .object({
        id,
        accessToken: optionalText(1000),
        leader: optionalCard,
        base: optionalCard,
        deck: DeckSchema,
        isWinner: z.boolean(),
      })
      .loose(),
    cardMetrics: z
      .record(id, CardMetricsSchema)
      .refine((m) => Object.keys(m).length <= MAX_CARDS_PER_PLAYER, `must have at most ${MAX_CARDS_PER_PLAYER} cards`)
      .default({}),
  })
  .loose();

const GameResultData = z
  .object({
    gameId: id,
    lobbyId: optionalText(200).transform((v) => v || null),
    startedAt: timestamp,
    finishedAt: timestamp,
    roundNumber: z.number().int().min(0).max(1_000_000).nullish(),
    sequenceNumber: z.number().int().min(1).max(3).default(1),
    format: z.string().min(1).max(50),
    players: z
      .array(PlayerSchema)
      .length(2)
      .transform((p) => p as [z.output<typeof PlayerSchema>, z.output<typeof PlayerSchema>]),
  })
  .loose()
  .superRefine((d, ctx) => {
    if (Date.parse(d.finishedAt) < Date.parse(d.startedAt))
      ctx.addIssue({ code: "custom", path: ["finishedAt"], message: "must not be before data.startedAt" });
    // One person cannot play both seats (a win and a loss for the same player).
    // (Refinements run on a partly invalid object too: read defensively.)
    const [first, second] = Array.isArray(d.players) ? d.players : [];
    if (first?.data?.id !== undefined && first.data.id === second?.data?.id)
      ctx.addIssue({ code: "custom", path: ["players", 1, "data", "id"], message: "must differ from data.players[0].data.id (one player cannot take both seats)" });
  });

export const GameResultRequest = z.object({ integration: integrationField, data: GameResultData });

/** `["data","players",1,"data","leader"]` → `data.players[1].data.leader`. */
function fieldPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `${i ? "." : ""}${String(p)}` : `[${JSON.stringify(String(p).slice(0, 40))}]`))
    .join("");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined || input === null) return "is required";
      if (issue.expected === "int") return "must be an integer";
      return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    case "too_big":
      if (issue.origin === "string") return `is too long (at most ${issue.maximum} characters)`;
      if (issue.origin === "array") return issue.exact ? `must have exactly ${issue.maximum} entries` : `must have at most ${issue.maximum} entries`;
      return `must be at most ${issue.maximum}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return issue.exact ? `must have exactly ${issue.minimum} entries` : `must have at least ${issue.minimum} entries`;
      return `must be at least ${issue.minimum}`;
    case "invalid_format":
      return "must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-21T16:28:42.574Z";
    default:
      return issue.message;
  }
}

// ---------------------------------------------------------------- the common case without zod
// Validating ~40 card-metric objects through the schema was the largest piece of the endpoint's
// own CPU (~15%, allocating a copy of every object). `readWellFormed` checks by hand the exact
// shape the deployed client sends: every member present, every count given. Whatever it does not
// accept, for any reason, goes through GameResultRequest, so the schema stays the one definition
// of valid input and of every error message; this is a shortcut that accepts a subset of it and
// reads the same values (test/integration/games.test.ts compares both on generated payloads).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === "string" && v.length >= 1 && v.length <= 200;
const isText = (v: unknown, max: number): v is string | null | undefined => v == null || (typeof v === "string" && v.length <= max);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const COUNTS = ["played", "resourced", "activated", "drawn", "discarded"] as const;

function readPlayer(v: unknown): GameResultPlayer | null {
  if (!isObj(v) || !isObj(v.data) || !isObj(v.cardMetrics)) return null;
  const { id: playerId, accessToken, leader, base, deck, isWinner } = v.data;
  if (!isId(playerId) || !isText(accessToken, 1000) || !isId(leader) || !isId(base) || typeof isWinner !== "boolean") return null;
  // A null deck id (not a Swubase deck) is common real traffic: read here too, as the schema does.
  if (!isObj(deck) || !(deck.id === null || isId(deck.id)) || !isText(deck.name, 500) || !isText(deck.deckSource, 100)) return null;
  const cards = Object.keys(v.cardMetrics);
  if (cards.length > MAX_CARDS_PER_PLAYER) return null;
  for (const card of cards) {
    const m = v.cardMetrics[card];
    if (!isId(card) || card === "__proto__" || !isObj(m)) return null;
    for (const k of COUNTS) if (!isInt(m[k], 0, 1_000_000)) return null;
  }
  return {
    data: { id: playerId, accessToken, leader, base, deck: { id: deck.id, name: deck.name, deckSource: deck.deckSource }, isWinner },
    cardMetrics: v.cardMetrics as Record<string, CardMetrics>,
  };
}

/** The request read without zod when it is in the complete, valid shape; null sends it to the schema. */
export function readWellFormed(fields: IntegrationFields): { integration?: string | undefined; data: GameResult } | null {
  const { integration, data } = fields;
  if (!(integration === undefined || (typeof integration === "string" && integration.length <= 50)) || !isObj(data)) return null;
  const { gameId, lobbyId, startedAt, finishedAt, roundNumber, sequenceNumber, format, players } = data;
  if (!isId(gameId) || !isText(lobbyId, 200) || !isText(format, 50) || !format) return null;
  if (!(roundNumber == null || isInt(roundNumber, 0, 1_000_000)) || !(sequenceNumber === undefined || isInt(sequenceNumber, 1, 3))) return null;
  if (!timestamp.safeParse(startedAt).success || !timestamp.safeParse(finishedAt).success) return null;
  if (Date.parse(finishedAt as string) < Date.parse(startedAt as string)) return null;
  if (!Array.isArray(players) || players.length !== 2) return null;
  const first = readPlayer(players[0]);
  const second = first && readPlayer(players[1]);
  if (!first || !second || first.data.id === second.data.id) return null;
  return {
    integration,
    data: {
      gameId,
      lobbyId: lobbyId || null,
      startedAt: startedAt as string,
      finishedAt: finishedAt as string,
      roundNumber,
      sequenceNumber: sequenceNumber ?? 1,
      format,
      players: [first, second],
    },
  };
}

function parseGameResult(fields: IntegrationFields): { integration?: string | undefined; data: GameResult } {
  const quick = readWellFormed(fields);
  if (quick) return quick;
  const result = GameResultRequest.safeParse(fields, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "invalid_key")
    throw new OAuthError("invalid_request", `${fieldPath(issue.path.slice(0, -1))} has a card id that is empty or longer than 200 characters`);
  throw new OAuthError("invalid_request", `${fieldPath(issue.path)} ${describeIssue(issue)}`);
}

export const gameResultRoute = new Hono<AppEnv>().post(
  "/karabast/game-result",
  noStore(),
  readBody({ maxBytes: GAME_RESULT_BODY_LIMIT }),
  authenticateClient(),
  async (c) => {
    if (c.get("client").integration !== "karabast") throw new OAuthError("unauthorized_client", "Only Karabast clients report games here", 403);
    const input = parseGameResult(c.get("fields"));
    checkIntegration(c.get("client").integration, input.integration);
    const outcome = await c.get("deps").services.games.ingest({
      client: c.get("client"),
      result: input.data,
      raw: c.get("fields").data as Record<string, unknown>,
    });
    if (outcome.duplicate) return c.json({ success: true, duplicate: true, gameId: outcome.gameId });
    return c.json({ success: true, gameId: outcome.gameId, players: outcome.players });
  },
);
