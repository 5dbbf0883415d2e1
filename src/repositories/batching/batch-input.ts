/**
 * How a batch statement receives its members: one json parameter, an array of records with an
 * `ord` (the member's place in the batch), read by `json_to_recordset`. One parameter keeps the
 * statement text the same for every batch size, so it is prepared once per connection.
 */
import { sql, type SQL } from "drizzle-orm";
import { placeholder } from "../prebuilt-statement.js";

/** bytea in json: PostgreSQL's hex input form. */
export const byteaText = (value: Buffer | null) => (value === null ? null : `\\x${value.toString("hex")}`);

/** `json_to_recordset($batch::json) as <alias>(<columns>)`: the members as rows. */
export function batchRecords(alias: string, columns: string): SQL {
  return sql`json_to_recordset(${placeholder("batch")}::json) as ${sql.raw(alias)}(${sql.raw(columns)})`;
}

/** The parameters of a batch statement. */
export const batchParams = (records: object[]) => ({ batch: JSON.stringify(records) });
