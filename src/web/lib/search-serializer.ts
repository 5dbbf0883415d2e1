/**
 * Search-string (de)serialisation that keeps the query string exactly as the browser had it.
 *
 * TanStack Router parses `?a=b` into an object and writes it back with URLSearchParams, so
 * `scope=decks+email&state=a~b` would come back as `scope=decks+email&state=a%7Eb`, and the
 * router replaces the address bar with that canonical form on load. The approval page must
 * forward its query to the server byte for byte, and the sign-in redirect must return to the
 * exact URL, so we remember each raw string we parse under its canonical form and hand the
 * raw string back whenever the router asks to stringify an equivalent object.
 */
import { defaultParseSearch, defaultStringifySearch } from "@tanstack/react-router";

const MAX_REMEMBERED = 50;

export function createRawPreservingSearch() {
  const rawByCanonical = new Map<string, string>();

  function remember(canonical: string, raw: string) {
    rawByCanonical.delete(canonical);
    rawByCanonical.set(canonical, raw);
    if (rawByCanonical.size > MAX_REMEMBERED) {
      const oldest = rawByCanonical.keys().next().value;
      if (oldest !== undefined) rawByCanonical.delete(oldest);
    }
  }

  function parseSearch(searchStr: string): Record<string, unknown> {
    const parsed = defaultParseSearch(searchStr);
    const raw = searchStr === "" || searchStr.startsWith("?") ? searchStr : `?${searchStr}`;
    const canonical = defaultStringifySearch(parsed);
    if (raw !== "?" && raw !== canonical) remember(canonical, raw);
    return parsed;
  }

  function stringifySearch(search: Record<string, unknown>): string {
    const canonical = defaultStringifySearch(search);
    return rawByCanonical.get(canonical) ?? canonical;
  }

  return { parseSearch, stringifySearch };
}
