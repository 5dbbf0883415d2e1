import type { CardMetrics, SeatResult } from "../../db/schema.js";

export type { CardMetrics } from "../../db/schema.js";

/**
 * A finished game as a partner reports it (the `data` member of Karabast's game-result call),
 * after validation at the HTTP boundary. Extra members the partner sends are kept (they end up in
 * the stored payload) but nothing here reads them.
 */
export interface GameResultPlayer {
  data: {
    /** The partner's user id. */
    id: string;
    /** Proves which Swubase user this player is; null or absent when the player has not linked. */
    accessToken?: string | null | undefined;
    /** The leader's card id, `UNKNOWN_CARD_ID` when the partner sent none. */
    leader: string;
    base: string;
    /** `id`: the Swubase deck id; null for a deck that is not a Swubase deck; "unknown" for an unlinked player. */
    deck: { id: string | null; name?: string | null | undefined; deckSource?: string | null | undefined };
    isWinner: boolean;
  };
  cardMetrics: Record<string, CardMetrics>;
}

export interface GameResult {
  gameId: string;
  lobbyId?: string | null | undefined;
  /** ISO 8601 timestamps; finishedAt is not before startedAt. */
  startedAt: string;
  finishedAt: string;
  roundNumber?: number | null | undefined;
  /** 1..3 within a best-of-three lobby, else 1. */
  sequenceNumber: number;
  format: string;
  players: [GameResultPlayer, GameResultPlayer];
}

/**
 * A seat's result from the two players' winner flags. The deployed client puts both players in its
 * winner list after a draw (both flags true); neither flag set is possible too. Either way, a draw
 * for both: neither a win nor a loss.
 */
export function seatResult(isWinner: boolean, opponentIsWinner: boolean): SeatResult {
  if (isWinner === opponentIsWinner) return "draw";
  return isWinner ? "win" : "loss";
}

/**
 * Stored for a leader or base the partner did not send: the deployed client reads them with
 * optional chaining (`player.deckLeader?.id`), so either may be missing, and the game still counts.
 */
export const UNKNOWN_CARD_ID = "unknown";

export const MAX_CARDS_PER_PLAYER = 300;

/** Member names that carry access tokens: removed before anything is stored. */
const TOKEN_KEYS = ["accessToken", "access_token"];

const omitTokens = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !TOKEN_KEYS.includes(k)));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The payload as received, minus every player's access token (the raw copy must never hold one). */
export function withoutTokens(raw: Record<string, unknown>): Record<string, unknown> {
  const players = Array.isArray(raw.players) ? raw.players : [];
  return {
    ...omitTokens(raw),
    players: players.map((player: unknown) => {
      if (!isObject(player)) return player;
      const kept = omitTokens(player);
      return isObject(player.data) ? { ...kept, data: omitTokens(player.data) } : kept;
    }),
  };
}
