/**
 * ACTIVATE_WITH_LINK_TOKEN (link-repository.ts) for many confirmations in ONE statement: each
 * member's pending link is found and locked with the same checks, the client's other active links
 * of the same external user or Swubase user are revoked (with their `link_replaced` events), the
 * link is activated with its first pair and its `link_confirmed` event; one answer row per member
 * by `ord`: activated, not found (the token service then decides why), or deferred.
 *
 * One statement cannot replace a link that the same statement activates, so members that would
 * act on the same people are not done together: a member whose pending link shares the client and
 * the external user or the Swubase user with an earlier member's, or that would replace a link an
 * earlier member replaces, is deferred (the batcher sends it again in the next batch, where it
 * sees the earlier one committed, as one after the other). Members never share a link token (the
 * batcher's key). A concurrent statement that activates a link for the same person makes the
 * unique indexes refuse this one (23505): then each member runs alone, with the single
 * statement's retry.
 */
import { sql, type SQL } from "drizzle-orm";
import type { StatementEvent } from "../../db/schema.js";
import type { StoredTokenPair } from "../link-repository.js";
import { auditEventFields, batchRecords, byteaText, SET_TOKEN_PAIR, tokenPairFields } from "./batch-input.js";

/** What activating a link with its link token needs (LinkRepository.activateWithLinkToken, alone or batched). */
export interface ActivationRecordInput {
  linkTokenDigest: Buffer;
  clientId: string;
  /** Checked when given (the Karabast front door always gives it). */
  externalUserId: string | null;
  /** Checked when given (the OAuth door: RFC 6749 §4.1.3). */
  redirectUri: string | null;
  /** BASE64URL(SHA256(code_verifier)), or null without a verifier: must equal the stored challenge, null included (RFC 7636 §4.6). */
  verifierChallenge: string | null;
  now: Date;
  tokens: StoredTokenPair;
  event: StatementEvent;
}

export function activationRecord(ord: number, m: ActivationRecordInput) {
  return {
    ord,
    digest: byteaText(m.linkTokenDigest),
    client_id: m.clientId,
    external_user_id: m.externalUserId,
    redirect_uri: m.redirectUri,
    challenge: m.verifierChallenge,
    now: m.now.toISOString(),
    ...tokenPairFields(m.tokens),
    ...auditEventFields(m.event),
  };
}

const RECORD_COLUMNS = `ord int, digest bytea, client_id text, external_user_id text, redirect_uri text, challenge text, now timestamptz,
  token_locator text, access_token_digest bytea, access_token_ciphertext text, access_token_expires_at timestamptz,
  refresh_token_digest bytea, refresh_token_ciphertext text, refresh_token_expires_at timestamptz,
  event_id text, event_at timestamptz, event text, event_ip text, event_user_agent text, event_detail text`;

/** `tokensCleared`: the SET list that clears every token of a link (link-repository.ts). */
export const activateWithLinkTokens = (tokensCleared: SQL) => sql`
  with member as (
    select * from ${batchRecords("m", RECORD_COLUMNS)}
  ), pending as (
    select m.ord, u.id, u.client_id, u.user_id, u.external_user_id
    from member m join user_integration u on u.link_token_digest = m.digest
    -- The redundant = any(array(...)) keeps the plan on the link-token index whatever the batch's size.
    where u.link_token_digest = any(array(select digest from member))
      and u.status = 'pending'
      and u.client_id = m.client_id
      and (m.external_user_id is null or u.external_user_id = m.external_user_id)
      and (m.redirect_uri is null or u.redirect_uri = m.redirect_uri)
      and u.code_challenge is not distinct from m.challenge
      and u.link_token_expires_at > m.now
    for update of u
  ), would_replace as (
    select p.ord, r.id from pending p
    join user_integration r on r.client_id = p.client_id and r.status = 'active' and (r.external_user_id = p.external_user_id or r.user_id = p.user_id)
  ), deferred as (
    select b.ord from pending b
    where exists (select 1 from pending a where a.ord < b.ord and a.client_id = b.client_id and (a.user_id = b.user_id or a.external_user_id = b.external_user_id))
       or exists (select 1 from would_replace wa join would_replace wb on wa.id = wb.id where wa.ord < wb.ord and wb.ord = b.ord)
  ), go as (
    select p.* from pending p where not exists (select 1 from deferred d where d.ord = p.ord)
  ), replaced as (
    update user_integration u set ${tokensCleared},
      status = 'revoked', revoked_at = m.now, revoked_reason = 'replaced'
    from go p join member m on m.ord = p.ord
    where u.client_id = p.client_id and u.status = 'active'
      and (u.external_user_id = p.external_user_id or u.user_id = p.user_id)
    returning u.id, u.user_id, u.external_user_id, p.user_id as new_user_id, m.client_id, m.event_id, m.event_at, m.event_ip, m.event_user_agent
  ), replaced_event as (
    insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
    select r.event_id || '-replaced-' || r.id, r.event_at, 'link_replaced', r.user_id, r.client_id, r.external_user_id, r.id, r.event_ip, r.event_user_agent,
      case when r.user_id = r.new_user_id then 'replaced by your newer link'
           else 'another Swubase account linked this partner account: its games now go there. If that was not you, unlink on the partner and link again' end
    from replaced r
  ), activated as (
    update user_integration u set
      ${SET_TOKEN_PAIR},
      status = 'active',
      link_token_digest = null, link_token_ciphertext = null, link_token_expires_at = null,
      used_link_token_digest = m.digest,
      linked_at = m.now,
      last_used_at = m.now
    from go p join member m on m.ord = p.ord
    where u.id = p.id and (select count(*) from replaced) >= 0
    returning m.ord, u.id, u.user_id, u.scopes, m.client_id, m.external_user_id,
      m.event_id, m.event_at, m.event, m.event_ip, m.event_user_agent, m.event_detail
  ), event as (
    insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
    select event_id, event_at, event, user_id, client_id, external_user_id, id, event_ip, event_user_agent, event_detail from activated
  )
  select ord, id, user_id, scopes, false as deferred from activated
  union all
  select ord, null, null, null, true from deferred`;
