/** The scopes a partner may ask for, with the sentence the approval card shows for each. */
export const SCOPE_CATALOGUE = {
  profile: "See your Swubase display name.",
  email: "See the email address of your Swubase account.",
  decks: "Read your decks, so games can be matched to the deck you played.",
  teams: "See the teams you belong to.",
  // Reading is what the scope grants (GET /api/stats/* with a Bearer token); game results are
  // reported by the partner's client authentication, with or without it.
  stats: "Read your game statistics: results, leaders, bases, decks, matches and the game export.",
} as const satisfies Record<string, string>;

export type ScopeName = keyof typeof SCOPE_CATALOGUE;

export function isKnownScope(name: string): name is ScopeName {
  return Object.hasOwn(SCOPE_CATALOGUE, name);
}

/**
 * Parses a scope parameter: space separated (RFC 6749 §3.3), also tolerating a literal "+"
 * (a form-encoded space that arrived undecoded) and arrays. Duplicates collapse; order is kept.
 */
export function parseScopes(value: string | string[] | undefined | null): string[] {
  const parts = (Array.isArray(value) ? value.join(" ") : (value ?? "")).split(/[\s+]+/).filter(Boolean);
  return [...new Set(parts)];
}

export function describeScopes(scopes: string[]): { name: string; description: string }[] {
  return scopes.map((name) => ({ name, description: isKnownScope(name) ? SCOPE_CATALOGUE[name] : name }));
}
