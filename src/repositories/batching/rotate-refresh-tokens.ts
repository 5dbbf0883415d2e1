/**
 * ROTATE_REFRESH_TOKEN (link-repository.ts) for many requests in ONE statement: the same checks,
 * the same writes (the rotation, the retired token for reuse detection, the audit event), one
 * answer row per rotated member, by its `ord`; a member without a row did not rotate, and the
 * token service then decides why, exactly as for the single statement.
 *
 * Members never share a presented token (the batcher's key), and only the row's current digest
 * rotates, so each link row joins at most one member: the UPDATE … FROM is well defined.
 */
import { sql } from "drizzle-orm";
import type { StatementEvent } from "../../db/schema.js";
import type { StoredTokenPair } from "../link-repository.js";
import { presentedLocator } from "../presented-locator.js";
import { auditEventFields, batchRecords, byteaText, SET_TOKEN_PAIR, tokenPairFields } from "./batch-input.js";

export interface RotationRecordInput {
  locator: string | null;
  refreshTokenDigest: Buffer;
  clientId: string;
  externalUserId: string | null;
  /** Space-separated, or null. */
  requiredScopes: string | null;
  now: Date;
  tokens: StoredTokenPair;
  event: StatementEvent;
}

export function rotationRecord(ord: number, m: RotationRecordInput) {
  return {
    ord,
    locator: m.locator,
    presented: byteaText(m.refreshTokenDigest),
    client_id: m.clientId,
    external_user_id: m.externalUserId,
    required_scopes: m.requiredScopes,
    now: m.now.toISOString(),
    ...tokenPairFields(m.tokens),
    ...auditEventFields(m.event),
  };
}

const RECORD_COLUMNS = `ord int, locator text, presented bytea, client_id text, external_user_id text, required_scopes text,
  now timestamptz, token_locator text, access_token_digest bytea, access_token_ciphertext text, access_token_expires_at timestamptz,
  refresh_token_digest bytea, refresh_token_ciphertext text, refresh_token_expires_at timestamptz,
  event_id text, event_at timestamptz, event text, event_ip text, event_user_agent text, event_detail text`;

export const ROTATE_REFRESH_TOKENS = sql`
  with member as (
    select m.*, ${presentedLocator(sql`m.locator`, sql`m.client_id`, sql`m.external_user_id`)} as target_locator
    from ${batchRecords("m", RECORD_COLUMNS)}
  ), rotated as (
    update user_integration u set
      previous_refresh_token_digest = u.refresh_token_digest,
      previous_access_token_digest = u.access_token_digest,
      previous_access_token_expires_at = u.access_token_expires_at,
      ${SET_TOKEN_PAIR},
      rotated_at = m.now,
      last_used_at = m.now
    from member m
    -- The redundant = any(array(...)) makes the plan look the links up by the locator index whatever
    -- the batch's size; the join alone is planned for json_to_recordset's guess of 100 members,
    -- which on a small table is a sequential scan.
    where u.token_locator = any(array(select target_locator from member))
      and u.token_locator = m.target_locator
      and u.refresh_token_digest = m.presented
      and u.client_id = m.client_id
      and (m.external_user_id is null or u.external_user_id = m.external_user_id)
      and (m.required_scopes is null or u.scopes @> string_to_array(m.required_scopes, ' '))
      and u.status = 'active'
      and u.refresh_token_expires_at > m.now
    returning m.ord, u.id, u.user_id, u.external_user_id, u.scopes, u.previous_access_token_digest, u.previous_access_token_expires_at,
      m.presented, m.now, m.client_id, m.event_id, m.event_at, m.event, m.event_ip, m.event_user_agent, m.event_detail
  ), retired as (
    insert into retired_refresh_token (digest, link_id, retired_at, access_token_digest, access_token_expires_at)
    select presented, id, now, previous_access_token_digest, previous_access_token_expires_at from rotated
    on conflict do nothing
  ), event as (
    insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
    select event_id, event_at, event, user_id, client_id, external_user_id, id, event_ip, event_user_agent, event_detail from rotated
  )
  select ord, id, user_id, external_user_id, scopes from rotated`;
