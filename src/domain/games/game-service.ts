/**
 * Ingest of finished games. Each player's access token says which Swubase user that player is:
 * it must be live, issued to the reporting client, for a link of exactly that partner user id.
 * Anything else stores the player unattributed, with the reason. Tokens are never stored.
 */
import type { SeatAttribution } from "../../db/schema.js";
import type { GameRepository, NewSeat } from "../../repositories/game-repository.js";
import type { Client } from "../clients/client-service.js";
import type { TokenService } from "../tokens/token-service.js";
import { withoutTokens, type GameResult, type GameResultPlayer } from "./game-result.js";

export interface GameServiceDeps {
  games: GameRepository;
  tokens: TokenService;
  clock: () => Date;
}

export interface IngestedPlayer {
  id: string;
  attributed: boolean;
  reason?: Exclude<SeatAttribution, "linked">;
}

export type IngestOutcome = { duplicate: true; gameId: string } | { duplicate: false; gameId: string; players: IngestedPlayer[] };

interface Attribution {
  attribution: SeatAttribution;
  userId: string | null;
  linkId: string | null;
}

const unattributed = (attribution: Exclude<SeatAttribution, "linked">): Attribution => ({ attribution, userId: null, linkId: null });

export function createGameService(deps: GameServiceDeps) {
  const { games, tokens, clock } = deps;

  /** Both players' tokens are checked in one statement. */
  async function attribute(client: Client, players: readonly GameResultPlayer[]): Promise<Attribution[]> {
    const withToken = players.filter((p) => p.data.accessToken);
    const links = await tokens.authenticateAccessTokens({ client, accessTokens: withToken.map((p) => p.data.accessToken!) });
    return players.map((player) => {
      if (!player.data.accessToken) return unattributed("no_token");
      const link = links[withToken.indexOf(player)];
      if (!link) return unattributed("invalid_token");
      if (link.externalUserId !== player.data.id) return unattributed("token_user_mismatch");
      return { attribution: "linked", userId: link.userId, linkId: link.id };
    });
  }

  return {
    /**
     * Stores a reported game once per client and game id. `raw` is the payload as received; it is
     * kept for audit without its tokens.
     */
    async ingest(input: { client: Client; result: GameResult; raw: Record<string, unknown> }): Promise<IngestOutcome> {
      const { client, result } = input;
      const attributions = await attribute(client, result.players);
      const seats = result.players.map(
        (p, i): NewSeat => ({
          seat: i === 0 ? 0 : 1,
          externalUserId: p.data.id,
          ...attributions[i]!,
          leader: p.data.leader,
          base: p.data.base,
          deckId: p.data.deck.id,
          deckName: p.data.deck.name ?? null,
          deckSource: p.data.deck.deckSource ?? null,
          isWinner: p.data.isWinner,
          cardMetrics: p.cardMetrics,
        }),
      ) as [NewSeat, NewSeat];
      const stored = await games.insertGame({
        clientId: client.clientId,
        gameId: result.gameId,
        lobbyId: result.lobbyId ?? null,
        format: result.format,
        startedAt: new Date(result.startedAt),
        finishedAt: new Date(result.finishedAt),
        roundNumber: result.roundNumber ?? null,
        sequenceNumber: result.sequenceNumber,
        receivedAt: clock(),
        payload: withoutTokens(input.raw),
        seats,
      });
      if (!stored) return { duplicate: true, gameId: result.gameId };
      return {
        duplicate: false,
        gameId: result.gameId,
        players: seats.map((s) =>
          s.attribution === "linked" ? { id: s.externalUserId, attributed: true } : { id: s.externalUserId, attributed: false, reason: s.attribution },
        ),
      };
    },
  };
}

export type GameService = ReturnType<typeof createGameService>;
