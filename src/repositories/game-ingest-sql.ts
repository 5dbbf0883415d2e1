/**
 * SQL fragments the game ingest statements share: INGEST (game-repository.ts, one game) and
 * INGEST_GAMES (batching/ingest-games.ts, many games in one statement) attribute seats and store
 * them by the same rules, written once here.
 */
import { sql, type SQL } from "drizzle-orm";

/**
 * What a seat's access token `t.digest` finds on its link `l`: 'live' when it is the link's current
 * or previous access token, or one of a retired refresh token's, and expires after `cutoff`;
 * 'token_expired' when it expired; 'link_revoked' when the link is not active; null otherwise.
 */
export const tokenState = (cutoff: SQL) => sql`
      case
        when l.status <> 'active' then 'link_revoked'
        when t.digest = l.access_token_digest then case when l.access_token_expires_at > ${cutoff} then 'live' else 'token_expired' end
        when t.digest = l.previous_access_token_digest then case when l.previous_access_token_expires_at > ${cutoff} then 'live' else 'token_expired' end
        else (select case when r.access_token_expires_at > ${cutoff} then 'live' else 'token_expired' end
              from retired_refresh_token r where r.link_id = l.id and r.access_token_digest = t.digest limit 1)
      end`;

/** A seat as the statements read it from JSON (json_to_recordset's column definitions; seatRecord writes it). */
export const SEAT_RECORD = sql.raw(`
      seat smallint, external_user_id text, without_token text, leader text, base text,
      deck_id text, deck_name text, deck_source text, is_winner boolean, result text, opponent_leader text, opponent_base text,
      card_ids text[], played int[], resourced int[], activated int[], drawn int[], discarded int[]`);

/** A seat's attribution from its input `s`, token `t` and the link it found `f` (state from tokenState). */
export const SEAT_ATTRIBUTION = sql.raw(`case when t.digest is null then s.without_token
                when f.state is null then 'invalid_token'
                when f.state <> 'live' then f.state
                when f.external_user_id <> s.external_user_id then 'token_user_mismatch'
                else 'linked' end`);

export const SEAT_INSERT_COLUMNS = sql.raw(`game_id, seat, external_user_id, user_id, link_id, attribution, leader, base, deck_id, deck_name,
                           deck_source, is_winner, result, finished_at, format, opponent_leader, opponent_base`);
