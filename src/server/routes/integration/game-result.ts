/**
 * POST /api/integration/karabast/game-result: Karabast reports a finished game (client
 * credentials as for link-confirm). Idempotent per client and game id: a repeat answers
 * `{success:true, duplicate:true}` and stores nothing. Validation errors name the field, e.g.
 * `data.players[1].data.leader is required`. Members we do not know are kept in the stored payload.
 */
import { Hono } from "hono";
import { z } from "zod";
import { OAuthError } from "../../../domain/errors.js";
import { MAX_CARDS_PER_PLAYER } from "../../../domain/games/game-result.js";
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

const PlayerSchema = z
  .object({
    data: z
      .object({
        id,
        accessToken: optionalText(1000),
        leader: id,
        base: id,
        deck: z.object({ id, name: optionalText(500), deckSource: optionalText(100) }).loose(),
        isWinner: z.boolean(),
      })
      .loose(),
    cardMetrics: z
      .record(id, CardMetricsSchema)
      .refine((m) => Object.keys(m).length <= MAX_CARDS_PER_PLAYER, `must have at most ${MAX_CARDS_PER_PLAYER} cards`)
      .default({}),
  })
  .loose();

export const GameResultData = z
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

function parseGameResult(fields: IntegrationFields) {
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
    if (c.var.client.integration !== "karabast") throw new OAuthError("unauthorized_client", "Only Karabast clients report games here", 403);
    const input = parseGameResult(c.var.fields);
    checkIntegration(c.var.client.integration, input.integration);
    const outcome = await c.var.deps.services.games.ingest({
      client: c.var.client,
      result: input.data,
      raw: c.var.fields.data as Record<string, unknown>,
    });
    if (outcome.duplicate) return c.json({ success: true, duplicate: true, gameId: outcome.gameId });
    return c.json({ success: true, gameId: outcome.gameId, players: outcome.players });
  },
);
