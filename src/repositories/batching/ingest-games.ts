/**
 * INGEST (game-repository.ts) for many games in ONE statement: each game's seats are attributed
 * from its own access tokens with its own time, the game is inserted once per client and game id
 * with its payload, seats and card metrics, and each game gets its two seat rows back by `ord`,
 * with whether it was stored and whether its client still exists, exactly as alone.
 *
 * Members never share a client and game id (the batcher's key), so each inserted game maps back
 * to one member. Games do not change what attributes another (tokens), only `last_used_at`
 * (touched at most once a minute): a link hit by several games of the batch is touched by the
 * first of them (by `ord`) that finds it unused for a minute, as one after the other would, and
 * the condition is checked again on the row as it is when locked, so a concurrent statement's
 * touch counts too. That is exact for games that arrived within a minute of each other, which
 * the games of one batch do (they waited for one statement, within the request timeout); games
 * further apart would leave the earlier time where one by one the later would win.
 */
import { sql } from "drizzle-orm";
import type { NewGame } from "../game-repository.js";
import { SEAT_ATTRIBUTION, SEAT_INSERT_COLUMNS, SEAT_RECORD, tokenState } from "../game-ingest-sql.js";
import { presentedLocator } from "../presented-locator.js";
import { batchRecords, byteaText } from "./batch-input.js";

export function gameRecord(ord: number, game: NewGame, seats: object[]) {
  const [a, b] = game.seats;
  return {
    ord,
    client_id: game.clientId,
    game_id: game.gameId,
    lobby_id: game.lobbyId,
    format: game.format,
    started_at: game.startedAt.toISOString(),
    finished_at: game.finishedAt.toISOString(),
    round_number: game.roundNumber,
    sequence_number: game.sequenceNumber,
    now: game.receivedAt.toISOString(),
    access_cutoff: game.accessTokenCutoff.toISOString(),
    d0: byteaText(a.accessTokenDigest),
    d1: byteaText(b.accessTokenDigest),
    l0: a.accessTokenLocator,
    l1: b.accessTokenLocator,
    e0: a.externalUserId,
    e1: b.externalUserId,
    seats,
    payload: game.payload,
  };
}

const RECORD_COLUMNS = `ord int, client_id text, game_id text, lobby_id text, format text, started_at timestamptz, finished_at timestamptz,
  round_number int, sequence_number smallint, now timestamptz, access_cutoff timestamptz,
  d0 bytea, d1 bytea, l0 text, l1 text, e0 text, e1 text, seats json, payload json`;

export const INGEST_GAMES = sql`
  with member as (
    select * from ${batchRecords("m", RECORD_COLUMNS)}
  ), token as (
    select m.ord, t.seat, t.digest,
      case when t.digest is not null then ${presentedLocator(sql`t.locator`, sql`m.client_id`, sql`t.external_user_id`)} end as locator
    from member m
    cross join lateral (values (0::smallint, m.d0, m.l0, m.e0), (1::smallint, m.d1, m.l1, m.e1)) as t(seat, digest, locator, external_user_id)
  ), found as (
    select t.ord, t.seat, l.id, l.user_id, l.external_user_id, l.last_used_at, m.now,
      ${tokenState(sql`m.access_cutoff`)} as state
    from token t
    join member m on m.ord = t.ord
    join user_integration l on l.token_locator = t.locator and l.client_id = m.client_id
  ), touched as (
    update user_integration u set last_used_at = h.now
    from (select distinct on (id) id, now from found
          where state = 'live' and (last_used_at is null or last_used_at < now - interval '60 seconds')
          order by id, ord) h
    where u.id = h.id and (u.last_used_at is null or u.last_used_at < h.now - interval '60 seconds')
  ), input as (
    select m.ord, s.* from member m cross join lateral json_to_recordset(m.seats) as s(${SEAT_RECORD})
  ), attributed as (
    select t.ord, t.seat, f.id as link_id, f.user_id,
           ${SEAT_ATTRIBUTION} as attribution
    from input s
    join token t on t.ord = s.ord and t.seat = s.seat
    left join found f on f.ord = t.ord and f.seat = t.seat
  ), known as (
    select m.ord from member m where exists (select 1 from partner_client c where c.client_id = m.client_id)
  ), g as (
    insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number, received_at)
    select m.client_id, m.game_id, m.lobby_id, m.format, m.started_at, m.finished_at, m.round_number, m.sequence_number, m.now
    from member m join known k on k.ord = m.ord
    order by m.ord
    on conflict (client_id, game_id) do nothing
    returning id, client_id, game_id, finished_at, format
  ), stored as (
    select m.ord, g.id, g.finished_at, g.format from g join member m on m.client_id = g.client_id and m.game_id = g.game_id
  ), payload as (
    insert into game_payload (game_id, payload) select st.id, m.payload from stored st join member m on m.ord = st.ord
  ), seats as (
    insert into game_seat (${SEAT_INSERT_COLUMNS})
    select st.id, s.seat, s.external_user_id,
           case when a.attribution = 'linked' then a.user_id end, case when a.attribution = 'linked' then a.link_id end, a.attribution,
           s.leader, s.base, s.deck_id, s.deck_name, s.deck_source, s.is_winner, s.result, st.finished_at, st.format, s.opponent_leader, s.opponent_base
    from stored st join input s on s.ord = st.ord join attributed a on a.ord = s.ord and a.seat = s.seat
  ), metrics as (
    insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
    select st.id, s.seat, s.card_ids, s.played, s.resourced, s.activated, s.drawn, s.discarded from stored st join input s on s.ord = st.ord
  )
  select a.ord, a.seat, a.attribution,
         exists (select 1 from stored st where st.ord = a.ord) as stored,
         exists (select 1 from known k where k.ord = a.ord) as client_known
  from attributed a order by a.ord, a.seat`;
