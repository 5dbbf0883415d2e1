/**
 * PostgreSQL text and jsonb refuse NUL characters and unpaired UTF-16 surrogates. Input holding
 * them is refused at the boundary with a 400, instead of failing deep in a query with a 500.
 */
import { OAuthError } from "../../domain/errors.js";

export function isSafeText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

/** Checks every key and string value of a parsed body, however deep. */
export function assertSafeValue(value: unknown, where = "the request", depth = 0): void {
  if (typeof value === "string") {
    if (!isSafeText(value)) throw new OAuthError("invalid_request", `${where} contains a NUL character or invalid Unicode`);
    return;
  }
  if (value === null || typeof value !== "object" || depth > 256) return;
  for (const [k, v] of Object.entries(value)) {
    if (!isSafeText(k)) throw new OAuthError("invalid_request", `${where} contains a NUL character or invalid Unicode`);
    assertSafeValue(v, where, depth + 1);
  }
}
