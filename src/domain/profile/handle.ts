/**
 * Public handles (/u/{handle}): 3 to 30 letters (a–z, any case), digits, `_` and `-`, not starting
 * with `-`; unique whatever their case (the database's index on lower(handle)); words that name
 * the site's own pages or roles are refused in any case.
 */

export const HANDLE_MIN = 3;
export const HANDLE_MAX = 30;
const HANDLE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Compared in lower case. */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  "about", "account", "admin", "administrator", "api", "assets", "auth", "demo", "docs", "help", "home", "karabast",
  "login", "logout", "me", "meta", "moderator", "null", "oauth", "official", "public", "root", "settings", "sign-in",
  "sign-out", "sign-up", "signin", "signup", "staff", "stats", "support", "swubase", "system", "u", "undefined", "user", "users",
]);

/** What is wrong with a handle (a sentence starting with "handle"), or null when it is acceptable. */
export function handleProblem(handle: string): string | null {
  if (handle.length < HANDLE_MIN || handle.length > HANDLE_MAX) return `handle must be ${HANDLE_MIN} to ${HANDLE_MAX} characters long`;
  if (!HANDLE.test(handle))
    return handle.startsWith("-")
      ? "handle must not start with a hyphen"
      : "handle may contain only letters (a–z), digits, underscores (_) and hyphens (-)";
  if (RESERVED_HANDLES.has(handle.toLowerCase())) return `handle "${handle}" is reserved; choose another`;
  return null;
}
