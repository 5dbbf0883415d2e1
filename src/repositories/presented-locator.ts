import { sql, type Placeholder, type SQL } from "drizzle-orm";

/** A value, a placeholder of a prebuilt statement, or SQL. */
type Operand = SQL | Placeholder | string | null;

/**
 * The locator of the link a presented access or refresh token belongs to: the one the token
 * carries, or, for a token issued before locators (drizzle/0009), the locator of the client's
 * active link of the external user the request names (one at most: a unique index). Null, and so
 * no row, when neither is known. PostgreSQL evaluates the sub-select only when it is needed.
 */
export function presentedLocator(locator: Operand, clientId: Operand, externalUserId: Operand): SQL {
  return sql`coalesce(${locator}::text, (select token_locator from user_integration
    where client_id = ${clientId} and external_user_id = ${externalUserId}::text and status = 'active'))`;
}
