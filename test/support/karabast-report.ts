/**
 * A game report built the way the deployed Karabast client builds it (../shared/karabast-contract.md,
 * "What the deployed client really sends"), not the way a tidy client would: `leader` and `base` are
 * `player.deckLeader?.id` / `player.base?.id`, `deck.id` is the Swubase deck id parsed from a deck
 * link or null, "unknown" for a player who has not linked; `isWinner` is membership of the game's
 * winner list (both players after a draw, nobody possible); and the whole thing goes through
 * `JSON.stringify`, which drops every undefined member.
 */
export interface SimulatedPlayer {
  id: string;
  /** The access token the game server holds for this player; undefined/null when not linked. */
  accessToken?: string | null | undefined;
  deckLeader?: { id: string } | undefined;
  base?: { id: string } | undefined;
  /** The deck link the player pasted; a Swubase one looks like https://swubase.com/decks/<id>. */
  deckLink?: string | undefined;
  deckName?: string | undefined;
  deckSource?: string | undefined;
}

export interface SimulatedGame {
  gameId: string;
  lobbyId: string;
  sequenceNumber?: number;
  startedAt?: string;
  finishedAt?: string;
  roundNumber?: number;
  winners: string[];
  players: [SimulatedPlayer, SimulatedPlayer];
}

const SWUBASE_DECK = /\/decks\/([^/?#]+)/;

function karabastReport(game: SimulatedGame): Record<string, unknown> {
  const player = (p: SimulatedPlayer) => {
    const linked = !!p.accessToken;
    const swubaseDeck = p.deckLink ? SWUBASE_DECK.exec(p.deckLink)?.[1] ?? null : null;
    return {
      data: {
        id: p.id,
        accessToken: p.accessToken ?? null,
        leader: p.deckLeader?.id,
        base: p.base?.id,
        deck: { id: linked ? swubaseDeck : "unknown", name: p.deckName, leader: p.deckLeader, base: p.base, deckSource: p.deckSource },
        isWinner: game.winners.includes(p.id),
      },
      cardMetrics: { "2579145458": { played: 1, resourced: 0, activated: 0, drawn: 1, discarded: 0 } },
    };
  };
  const report = {
    gameId: game.gameId,
    lobbyId: game.lobbyId,
    startedAt: game.startedAt ?? "2026-11-25T11:00:00.000Z",
    finishedAt: game.finishedAt ?? "2026-11-25T11:20:00.000Z",
    roundNumber: game.roundNumber ?? 4,
    sequenceNumber: game.sequenceNumber ?? 1,
    format: "premier",
    players: game.players.map(player),
  };
  return JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
}

/** The body of Karabast's game-result call. */
export function karabastGameResultBody(partner: { clientId: string; secret: string }, game: SimulatedGame) {
  return { integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data: karabastReport(game) };
}
