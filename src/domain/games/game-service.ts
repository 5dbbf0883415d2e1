/**
 * Ingest of finished games. Each player's access token says which Swubase user that player is:
 * it must be live, issued to the reporting client, for a link of exactly that partner user id.
 * Anything else stores the player unattributed, with the reason. Tokens are never stored: only
 * their lookup digests go to the database, and the check and the insert are one statement.
 */
import type { SeatAttribution } from "../../db/schema.js";
import type { GameRepository, NewSeat } from "../../repositories/game-repository.js";
import { INVALID_CLIENT_MESSAGE, type Client } from "../clients/client-service.js";
import { cardName } from "../cards/card-names.js";
import { OAuthError } from "../errors.js";
import { silentObserver, type DomainObserver } from "../observer.js";
import { accessTokenCutoff } from "../tokens/access-token-leeway.js";
import { isLocatorlessToken, tokenLocator, type TokenVault } from "../tokens/token-vault.js";
import { seatResult, withoutTokens, type GameResult, type GameResultPlayer } from "./game-result.js";

export interface GameServiceDeps {
  games: GameRepository;
  /** Lookup digests of the players' access tokens (the same keyed HMAC the token service stores). */
  vault: Pick<TokenVault, "digest">;
  clock: () => Date;
  /** Told of stored and duplicate games and of unattributed seats (metrics); silent by default. */
  observer?: DomainObserver;
}

export interface IngestedPlayer {
  id: string;
  attributed: boolean;
  reason?: Exclude<SeatAttribution, "linked">;
}

export type IngestOutcome = { duplicate: true; gameId: string } | { duplicate: false; gameId: string; players: IngestedPlayer[] };

export function createGameService(deps: GameServiceDeps) {
  const { games, vault, clock } = deps;
  const observer = deps.observer ?? silentObserver;

  function seat(player: GameResultPlayer, opponent: GameResultPlayer, index: 0 | 1): NewSeat {
    const token = player.data.accessToken;
    // Only access tokens are looked up: with a locator, or from before locators (found through the player's id).
    const locator = token ? tokenLocator("access", token) : null;
    const usable = !!token && (locator !== null || isLocatorlessToken("access", token));
    return {
      seat: index,
      externalUserId: player.data.id,
      accessTokenLocator: locator,
      accessTokenDigest: usable ? vault.digest(token) : null,
      withoutToken: token ? "invalid_token" : "no_token",
      leader: player.data.leader,
      base: player.data.base,
      deckId: player.data.deck.id,
      deckName: player.data.deck.name ?? null,
      deckSource: player.data.deck.deckSource ?? null,
      isWinner: player.data.isWinner,
      result: seatResult(player.data.isWinner, opponent.data.isWinner),
      cardMetrics: player.cardMetrics,
    };
  }

  return {
    /**
     * Stores a reported game once per client and game id. `raw` is the payload as received; it is
     * kept for audit without its tokens.
     */
    async ingest(input: { client: Client; result: GameResult; raw: Record<string, unknown> }): Promise<IngestOutcome> {
      const { client, result } = input;
      const seats: [NewSeat, NewSeat] = [seat(result.players[0], result.players[1], 0), seat(result.players[1], result.players[0], 1)];
      const receivedAt = clock();
      const outcome = await games.insertGame({
        clientId: client.clientId,
        gameId: result.gameId,
        lobbyId: result.lobbyId ?? null,
        format: result.format,
        startedAt: new Date(result.startedAt),
        finishedAt: new Date(result.finishedAt),
        roundNumber: result.roundNumber ?? null,
        sequenceNumber: result.sequenceNumber,
        receivedAt,
        accessTokenCutoff: accessTokenCutoff(receivedAt),
        payload: withoutTokens(input.raw),
        seats,
      });
      if (!outcome.stored) {
        // Removed while this request was on its way (client-auth had just found it).
        if (outcome.reason === "unknown_client") throw new OAuthError("invalid_client", INVALID_CLIENT_MESSAGE);
        observer.gameDuplicate();
        return { duplicate: true, gameId: result.gameId };
      }
      observer.gameIngested();
      return {
        duplicate: false,
        gameId: result.gameId,
        players: seats.map((s, i) => {
          const attribution = outcome.attributions[i]!;
          if (attribution === "linked") return { id: s.externalUserId, attributed: true };
          observer.seatUnattributed(attribution);
          return { id: s.externalUserId, attributed: false, reason: attribution };
        }),
      };
    },

    /**
     * "Why wasn't my game counted?": the newest games (at most 50) that arrived for the user's
     * partner ids while the user owned them but were not attributed, with the reason code.
     */
    async uncountedGames(userId: string) {
      const rows = await games.uncountedForUser(userId, UNCOUNTED_LIMIT);
      return rows.map((r) => ({
        gameId: r.gameId,
        partner: r.clientName,
        externalUserId: r.externalUserId,
        finishedAt: r.finishedAt,
        receivedAt: r.receivedAt,
        format: r.format,
        reason: r.reason,
        result: r.result,
        myLeader: cardName(r.leader, "leader"),
        opponentLeader: cardName(r.opponentLeader, "leader"),
      }));
    },
  };
}

const UNCOUNTED_LIMIT = 50;

export type GameService = ReturnType<typeof createGameService>;
