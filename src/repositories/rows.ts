/** postgres.js returns an array of rows from `execute`, PGlite returns `{ rows }`: one shape for both. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

/** bytea arrives as Buffer (postgres.js) or Uint8Array (PGlite). */
export function toBuffer(value: Buffer | Uint8Array | null | undefined): Buffer | null {
  if (value == null) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(value);
}

/** timestamptz arrives as Date from both drivers in query-builder results, but raw rows may carry strings. */
export function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}
