/** The wire spellings of every request field, straight from the table the routes normalise with. */
import { ALIASES, type FieldName } from "../schemas/integration-fields.js";

/** Every spelling of an internal field name, the deployed client's (snake_case) first; `[field]` for unknown names. */
export function aliasesOf(field: string): readonly string[] {
  return isKnownField(field) ? ALIASES[field] : [field];
}

/** Whether `field` is one of the internal names integration-fields.ts normalises to. */
function isKnownField(field: string): field is FieldName {
  return Object.hasOwn(ALIASES, field);
}
