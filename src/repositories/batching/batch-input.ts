/**
 * How a batch statement receives its members: one json parameter, an array of records with an
 * `ord` (the member's place in the batch), read by `json_to_recordset`. One parameter keeps the
 * statement text the same for every batch size, so it is prepared once per connection.
 */
import { sql, type SQL } from "drizzle-orm";
import type { StatementEvent } from "../../db/schema.js";
import type { StoredTokenPair } from "../link-repository.js";
import { placeholder } from "../prebuilt-statement.js";

/** bytea in json: PostgreSQL's hex input form. */
export const byteaText = (value: Buffer | null) => (value === null ? null : `\\x${value.toString("hex")}`);

/** `json_to_recordset($batch::json) as <alias>(<columns>)`: the members as rows. */
export function batchRecords(alias: string, columns: string): SQL {
  return sql`json_to_recordset(${placeholder("batch")}::json) as ${sql.raw(alias)}(${sql.raw(columns)})`;
}

/** The parameters of a batch statement. */
export const batchParams = (records: object[]) => ({ batch: JSON.stringify(records) });

/** A member's new token pair, as the batch statements' `token_locator` … `refresh_token_expires_at` columns. */
export const tokenPairFields = (tokens: StoredTokenPair) => ({
  token_locator: tokens.locator,
  access_token_digest: byteaText(tokens.accessTokenDigest),
  access_token_ciphertext: tokens.accessTokenCiphertext,
  access_token_expires_at: tokens.accessTokenExpiresAt.toISOString(),
  refresh_token_digest: byteaText(tokens.refreshTokenDigest),
  refresh_token_ciphertext: tokens.refreshTokenCiphertext,
  refresh_token_expires_at: tokens.refreshTokenExpiresAt.toISOString(),
});

/** The link's new token pair from a member `m` with tokenPairFields' columns, as an UPDATE's assignments. */
export const SET_TOKEN_PAIR = sql.raw(`token_locator = m.token_locator,
      access_token_digest = m.access_token_digest,
      access_token_ciphertext = m.access_token_ciphertext,
      access_token_expires_at = m.access_token_expires_at,
      refresh_token_digest = m.refresh_token_digest,
      refresh_token_ciphertext = m.refresh_token_ciphertext,
      refresh_token_expires_at = m.refresh_token_expires_at`);

/** A member's audit event, as the batch statements' `event_*` columns (written by the same statement as its change). */
export const auditEventFields = (event: StatementEvent) => ({
  event_id: event.id,
  event_at: event.at.toISOString(),
  event: event.event,
  event_ip: event.ip,
  event_user_agent: event.userAgent,
  event_detail: event.detail,
});
