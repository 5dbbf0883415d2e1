/**
 * SQL for storing game results. A game is ONE prepared statement (one round trip, one commit):
 *
 * 1. `found`: the link each player's access token points to (its locator, or for a token from
 *    before locators the client's active link of the seat's partner user id) and the token's
 *    state there: `live` when it is the link's current or previous access token, or the access
 *    token of any pair rotated away since (`retired_refresh_token`), unexpired (with the clock
 *    leeway, access-token-leeway.ts) on an active link; `token_expired` when it is one of those
 *    but past its expiry; `link_revoked` when the locator's link is no longer active (its digests
 *    are cleared, so this is the locator's word alone: advisory, for the player's "not counted"
 *    list). `touched`: the live links' `last_used_at`, at most once a minute (as every other use
 *    of a token);
 * 2. each seat's attribution from that: `linked` only when a live token's link is for exactly the
 *    seat's partner user id, else the token's state, `invalid_token` / `token_user_mismatch` (or
 *    the reason the domain gave when the player sent no usable token: `no_token`, `invalid_token`).
 *    Both seats can never be linked to one Swubase user: a user has one active link per client
 *    (user_integration_active_user_idx), and a token of that link names one partner user id,
 *    while the route refuses one partner user id in both seats;
 * 3. the game insert is `ON CONFLICT (client_id, game_id) DO NOTHING`, and payload, seats and card
 *    metrics are inserted from its RETURNING, so a duplicate (even one arriving concurrently, which
 *    waits on the unique index) writes nothing at all. It also inserts nothing when the client is
 *    gone: there is no foreign key to partner_client (migration 0004 says why), and a removal
 *    locks the game table, so a statement that waited for it sees the client deleted.
 *
 * The statement is built once, with placeholders, not per call (prebuilt-statement.ts). Like
 * every parameterised statement it runs as a named prepared statement on PostgreSQL unless
 * DATABASE_PREPARED_STATEMENTS is off (src/db/database.ts): parsed once per connection, then a
 * cached plan, which finds both seats' links through the token-locator index. With batching
 * (DATABASE_BATCHING), concurrent games share one statement instead (batching/ingest-games.ts).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { CardMetrics, SeatAttribution, SeatResult } from "../db/schema.js";
import { createBatcher, type BatchingOptions } from "./batching/adaptive-batcher.js";
import { batchParams } from "./batching/batch-input.js";
import { gameRecord, INGEST_GAMES } from "./batching/ingest-games.js";
import { placeholder as p, prebuildStatement, timestampPlaceholder } from "./prebuilt-statement.js";
import { SEAT_ATTRIBUTION, SEAT_INSERT_COLUMNS, SEAT_RECORD, tokenState } from "./game-ingest-sql.js";
import { presentedLocator } from "./presented-locator.js";
import { rowsOf } from "./rows.js";

/** Why a seat cannot even be looked up: no token, or one that is not an access token at all. */
type UncheckedReason = Extract<SeatAttribution, "no_token" | "invalid_token">;

export interface NewSeat {
  seat: 0 | 1;
  externalUserId: string;
  /** The locator the player's access token carries; null for a token from before locators (found through `externalUserId`). */
  accessTokenLocator: string | null;
  /** The lookup digest of the player's access token, or null when there is nothing to look up. */
  accessTokenDigest: Buffer | null;
  /** The seat's attribution when `accessTokenDigest` is null. */
  withoutToken: UncheckedReason;
  leader: string;
  base: string;
  deckId: string | null;
  deckName: string | null;
  deckSource: string | null;
  isWinner: boolean;
  result: SeatResult;
  cardMetrics: Record<string, CardMetrics>;
}

export interface NewGame {
  clientId: string;
  gameId: string;
  lobbyId: string | null;
  format: string;
  startedAt: Date;
  finishedAt: Date;
  roundNumber: number | null;
  sequenceNumber: number;
  receivedAt: Date;
  /** An access token counts as live when it expires after this (receivedAt less the clock leeway). */
  accessTokenCutoff: Date;
  /** The payload to keep for audit, already without tokens. */
  payload: Record<string, unknown>;
  seats: [NewSeat, NewSeat];
}

export type InsertOutcome =
  | { stored: true; attributions: [SeatAttribution, SeatAttribution] }
  /** `duplicate`: this client sent this game before; `unknown_client`: the client was removed meanwhile. */
  | { stored: false; reason: "duplicate" | "unknown_client" };

const now = timestampPlaceholder("now");
/** The links the two seats' tokens point to (`presentedLocator`); none for a seat without a token. */
const seatLocator = (seat: 0 | 1) =>
  sql`case when ${p(`d${seat}`)}::bytea is not null then ${presentedLocator(p(`l${seat}`), p("clientId"), p(`e${seat}`))} end`;

const INGEST = sql`
  with token (seat, digest, locator) as (
    values (0::smallint, ${p("d0")}::bytea, ${seatLocator(0)}), (1::smallint, ${p("d1")}::bytea, ${seatLocator(1)})
  ), found as (
    select t.seat, l.id, l.user_id, l.external_user_id, l.last_used_at,
      ${tokenState(sql`${p("accessCutoff")}::timestamptz`)} as state
    from token t join user_integration l on l.token_locator = t.locator and l.client_id = ${p("clientId")}
  ), hit as (
    select * from found where state = 'live'
  ), touched as (
    update user_integration u set last_used_at = ${now} from (select distinct id from hit) h
    where u.id = h.id and (u.last_used_at is null or u.last_used_at < ${now} - interval '60 seconds')
  ), input as (
    select * from json_to_recordset(${p("seats")}::json) as s(${SEAT_RECORD})
  ), attributed as (
    select t.seat, f.id as link_id, f.user_id,
           ${SEAT_ATTRIBUTION} as attribution
    from input s
    join token t on t.seat = s.seat
    left join found f on f.seat = t.seat
  ), client as (
    select client_id from partner_client where client_id = ${p("clientId")}
  ), g as (
    insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number, received_at)
    select client_id, ${p("gameId")}, ${p("lobbyId")}, ${p("format")}, ${p("startedAt")}::timestamptz, ${p("finishedAt")}::timestamptz,
           ${p("roundNumber")}::int, ${p("sequenceNumber")}::smallint, ${now}
    from client
    on conflict (client_id, game_id) do nothing
    returning id, finished_at, format
  ), payload as (
    insert into game_payload (game_id, payload) select g.id, ${p("payload")}::json from g
  ), seats as (
    insert into game_seat (${SEAT_INSERT_COLUMNS})
    select g.id, s.seat, s.external_user_id,
           case when a.attribution = 'linked' then a.user_id end, case when a.attribution = 'linked' then a.link_id end, a.attribution,
           s.leader, s.base, s.deck_id, s.deck_name, s.deck_source, s.is_winner, s.result, g.finished_at, g.format, s.opponent_leader, s.opponent_base
    from g cross join input s join attributed a on a.seat = s.seat
  ), metrics as (
    insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
    select g.id, s.seat, s.card_ids, s.played, s.resourced, s.activated, s.drawn, s.discarded from g cross join input s
  )
  select a.seat, a.attribution, exists (select 1 from g) as stored, exists (select 1 from client) as client_known
  from attributed a order by a.seat`;

/** The seat as the statement's `input` reads it (json_to_recordset). */
function seatRecord(s: NewSeat, other: NewSeat) {
  const cardIds: string[] = [];
  const played: number[] = [];
  const resourced: number[] = [];
  const activated: number[] = [];
  const drawn: number[] = [];
  const discarded: number[] = [];
  for (const id of Object.keys(s.cardMetrics)) {
    const m = s.cardMetrics[id]!;
    cardIds.push(id);
    played.push(m.played);
    resourced.push(m.resourced);
    activated.push(m.activated);
    drawn.push(m.drawn);
    discarded.push(m.discarded);
  }
  return {
    seat: s.seat,
    external_user_id: s.externalUserId,
    without_token: s.withoutToken,
    leader: s.leader,
    base: s.base,
    deck_id: s.deckId,
    deck_name: s.deckName,
    deck_source: s.deckSource,
    is_winner: s.isWinner,
    result: s.result,
    opponent_leader: other.leader,
    opponent_base: other.base,
    card_ids: cardIds,
    played,
    resourced,
    activated,
    drawn,
    discarded,
  };
}

/** A game that arrived for one of the user's partner ids but was not attributed to them. */
export interface UncountedSeatRow {
  gameId: string;
  clientName: string;
  externalUserId: string;
  finishedAt: string;
  receivedAt: string;
  format: string;
  reason: Exclude<SeatAttribution, "linked">;
  leader: string;
  opponentLeader: string;
  result: SeatResult;
}

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The unattributed seats of partner user ids while this user owned them: from each of the user's
 * links' `linked_at` until another Swubase user linked the same partner id (whatever happened to
 * the user's link meanwhile, so "link revoked" still shows after the user unlinked). Nobody sees
 * a partner id's games from before they linked it, or after someone else did.
 */
function uncountedQuery(userId: string, limit: number): SQL {
  return sql`
    with owned as (
      select l.client_id, l.external_user_id, l.linked_at as owned_from,
        (select min(o.linked_at) from user_integration o
         where o.client_id = l.client_id and o.external_user_id = l.external_user_id and o.linked_at > l.linked_at and o.user_id <> l.user_id) as owned_until
      from user_integration l where l.user_id = ${userId} and l.linked_at is not null
    )
    select g.game_id as "gameId", c.name as "clientName", s.external_user_id as "externalUserId",
           ${iso(sql`s.finished_at`)} as "finishedAt", ${iso(sql`g.received_at`)} as "receivedAt", s.format,
           s.attribution as "reason", s.leader, s.opponent_leader as "opponentLeader", s.result
    from game_seat s
    join game g on g.id = s.game_id
    join partner_client c on c.client_id = g.client_id
    where s.user_id is null
      and s.external_user_id in (select external_user_id from owned)
      and exists (select 1 from owned w where w.client_id = g.client_id and w.external_user_id = s.external_user_id
                  and g.received_at >= w.owned_from and (w.owned_until is null or g.received_at < w.owned_until))
    order by s.finished_at desc, g.id desc
    limit ${limit}`;
}

type SeatRow = { seat: number; attribution: SeatAttribution; stored: boolean; client_known: boolean };

function outcome(rows: SeatRow[]): InsertOutcome {
  if (rows.length !== 2) throw new Error(`game ingest returned ${rows.length} seat rows`);
  if (!rows[0]!.stored) return { stored: false, reason: rows[0]!.client_known ? "duplicate" : "unknown_client" };
  return { stored: true, attributions: [rows[0]!.attribution, rows[1]!.attribution] };
}

/** `batching`: group commit of concurrent ingests (src/repositories/batching); null sends each alone. */
export function gameRepository(db: Db, options: { batching?: BatchingOptions | null } = {}) {
  const ingest = prebuildStatement(db, INGEST);
  const ingestMany = prebuildStatement(db, INGEST_GAMES);

  async function insertOne(game: NewGame): Promise<InsertOutcome> {
    // Raw SQL parameters are not mapped by column type: timestamps go as ISO text, seats and payload as json.
    const [a, b] = game.seats;
    const result = await ingest.execute({
      now: game.receivedAt.toISOString(),
      accessCutoff: game.accessTokenCutoff.toISOString(),
      clientId: game.clientId,
      d0: a.accessTokenDigest,
      d1: b.accessTokenDigest,
      l0: a.accessTokenLocator,
      l1: b.accessTokenLocator,
      e0: a.externalUserId,
      e1: b.externalUserId,
      seats: JSON.stringify([seatRecord(a, b), seatRecord(b, a)]),
      gameId: game.gameId,
      lobbyId: game.lobbyId,
      format: game.format,
      startedAt: game.startedAt.toISOString(),
      finishedAt: game.finishedAt.toISOString(),
      roundNumber: game.roundNumber,
      sequenceNumber: game.sequenceNumber,
      payload: JSON.stringify(game.payload),
    });
    return outcome(rowsOf<SeatRow>(result));
  }

  const ingests = options.batching
    ? createBatcher<NewGame, InsertOutcome>({
        ...options.batching,
        // The same game twice never shares a batch: the later one finds it stored (a duplicate).
        key: (game) => JSON.stringify([game.clientId, game.gameId]),
        one: insertOne,
        async many(games) {
          const records = games.map((game, ord) => {
            const [a, b] = game.seats;
            return gameRecord(ord, game, [seatRecord(a, b), seatRecord(b, a)]);
          });
          const rows = rowsOf<SeatRow & { ord: number }>(await ingestMany.execute(batchParams(records)));
          const byGame: SeatRow[][] = games.map(() => []);
          for (const row of rows) byGame[row.ord]!.push(row);
          return byGame.map(outcome);
        },
      })
    : null;

  return {
    /**
     * Attributes the seats and stores the game with its payload, seats and card metrics, in one
     * statement. `stored: false` when this client already sent this game (nothing was written).
     */
    insertGame(game: NewGame): Promise<InsertOutcome> {
      return ingests ? ingests.submit(game) : insertOne(game);
    },

    /** The newest games that arrived for the user's partner ids while they owned them, unattributed. */
    async uncountedForUser(userId: string, limit: number): Promise<UncountedSeatRow[]> {
      return rowsOf<UncountedSeatRow>(await db.execute(uncountedQuery(userId, limit)));
    },
  };
}

export type GameRepository = ReturnType<typeof gameRepository>;
