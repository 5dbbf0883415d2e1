/** Wire types of the Karabast ⇄ Swubase contract, as Swubase sends and reads them. */

/** The answer of link-confirm and refresh-token. */
export interface TokenResponse {
  /** Bearer token that identifies the user, e.g. in a game result's `players[].data.accessToken`. */
  access_token: string;
  /** Single-use token for the next refresh; keep it in durable storage. */
  refresh_token: string;
  /** Always `"Bearer"`. */
  token_type: string;
  /** Lifetime of the access token in seconds. */
  expires_in: number;
  /** Lifetime of the refresh token in seconds (renewed on each rotation). */
  refresh_token_expires_in?: number;
  /** Granted scopes, space separated. */
  scope: string;
}

/** The answer of unlink. */
export interface UnlinkResponse {
  success: boolean;
  /** False when there was nothing to unlink. */
  unlinked: boolean;
}

/** The answer of game-result. */
export interface GameResultResponse {
  success: boolean;
  /** True when this game id was reported before (nothing was stored again). */
  duplicate?: boolean;
  gameId?: string;
  [member: string]: unknown;
}

/** Per-card counters of one player in one game. */
export interface CardMetrics {
  played: number;
  resourced: number;
  activated: number;
  drawn: number;
  discarded: number;
}

/** One of the two players of a reported game. */
export interface GameResultPlayer {
  data: {
    /** Karabast user id. */
    id: string;
    /** The player's Swubase access token, or null when that player has not linked. Never stored by Swubase. */
    accessToken: string | null;
    /** Leader card id; may be left out when unknown (stored as "unknown", the game still counts). */
    leader?: string | null;
    /** Base card id; may be left out when unknown. */
    base?: string | null;
    /** May be left out when nothing is known of the deck. */
    deck?: {
      /** `"unknown"` when not linked, else the Swubase deck id parsed from a deck link, or null when the deck is not a Swubase deck. */
      id: string | null;
      name?: string | null;
      base?: unknown;
      leader?: unknown;
      deckSource?: string | null;
      [member: string]: unknown;
    };
    /** Both players true (or both false) is a draw. */
    isWinner: boolean;
    [member: string]: unknown;
  };
  cardMetrics: Record<string, CardMetrics>;
  [member: string]: unknown;
}

/** The `data` member of a game-result report (contract, "Game result payload"). */
export interface GameResultData {
  gameId: string;
  lobbyId?: string | null;
  /** ISO 8601 with a time zone. */
  startedAt: string;
  /** ISO 8601 with a time zone. */
  finishedAt: string;
  roundNumber?: number | null;
  /** 1..3 in a best-of-three, else 1. */
  sequenceNumber?: number;
  format: "premier" | "open" | "eternal" | "limited" | (string & {});
  /** Exactly two players. */
  players: GameResultPlayer[];
  [member: string]: unknown;
}
