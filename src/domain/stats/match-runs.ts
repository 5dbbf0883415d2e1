/**
 * Which best-of-three match each game belongs to, for the export: the rule `matches` applies in SQL
 * (matchRuns in stats-repository.ts), here over games already read, so the export needs no window
 * functions (a third of its time at 10,000 games).
 *
 * A lobby stays open after a match and the same players may play another there, restarting the
 * sequence number at 1, so a lobby (of one partner) is not a match. In the order the games were
 * played (started, then finished, then arrived), a game starts a new run when its sequence number
 * is 1 or not above the previous game's; the first game of the lobby among those given starts one
 * too. A run is a match when some game in it has sequence number 2 or more, named by its lobby and
 * its first game: "lobby:game".
 */

export interface LobbyGame {
  clientId: string;
  lobbyId: string | null;
  /** The partner's id of the game. */
  gameId: string;
  sequenceNumber: number;
  /** When the game started, in seconds since 1970 (exact to PostgreSQL's microsecond: distinct starts never compare equal). */
  startedAtSeconds: number;
}

/**
 * The match id of each game (at the same index), null for a game in no match. `games` come newest
 * first, as the export lists them: by finish time, then by arrival (`game.id`), both descending, so
 * among games that started together the later one in the list was played first.
 */
export function matchIds(games: readonly LobbyGame[]): (string | null)[] {
  const ids = new Array<string | null>(games.length).fill(null);
  const playedFirst = (a: number, b: number) => games[a]!.startedAtSeconds - games[b]!.startedAtSeconds || b - a;
  for (const lobby of lobbies(games)) {
    lobby.sort(playedFirst);
    let first = 0;
    for (let i = 1; i <= lobby.length; i++) {
      if (i < lobby.length && games[lobby[i]!]!.sequenceNumber > Math.max(1, games[lobby[i - 1]!]!.sequenceNumber)) continue;
      nameRun(games, lobby, first, i, ids);
      first = i;
    }
  }
  return ids;
}

/** The positions of the games in each lobby of each partner (games without a lobby are in none). */
function* lobbies(games: readonly LobbyGame[]): Iterable<number[]> {
  const partners = new Map<string, Map<string, number[]>>();
  for (let i = 0; i < games.length; i++) {
    const { clientId, lobbyId } = games[i]!;
    if (lobbyId === null) continue;
    let partner = partners.get(clientId);
    if (!partner) partners.set(clientId, (partner = new Map()));
    const lobby = partner.get(lobbyId);
    if (lobby) lobby.push(i);
    else partner.set(lobbyId, [i]);
  }
  for (const partner of partners.values()) yield* partner.values();
}

/** Gives the games of the run `lobby[from..to)` (positions, in the order played) its match id, when it is a match. */
function nameRun(games: readonly LobbyGame[], lobby: readonly number[], from: number, to: number, ids: (string | null)[]) {
  let listed = false;
  for (let i = from; i < to && !listed; i++) listed = games[lobby[i]!]!.sequenceNumber >= 2;
  if (!listed) return;
  const first = games[lobby[from]!]!;
  const id = `${first.lobbyId}:${first.gameId}`;
  for (let i = from; i < to; i++) ids[lobby[i]!] = id;
}
