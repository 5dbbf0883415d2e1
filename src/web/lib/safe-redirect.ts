/**
 * Where to send the user after signing in. Only same-origin relative paths are allowed;
 * anything else (absolute URLs, protocol-relative "//host", backslash tricks that browsers
 * read as "//", control characters that the URL parser strips) falls back to "/".
 */

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\s]/;
const PROBE_ORIGIN = "http://safe-redirect.invalid";

export function safeRedirectTarget(value: unknown): string {
  if (typeof value !== "string" || value === "") return "/";
  if (!value.startsWith("/") || value.startsWith("//")) return "/";
  if (value.includes("\\")) return "/";
  // Tabs and newlines are removed by URL parsing ("/\t/evil" becomes "//evil"); spaces never
  // appear in a path we produced ourselves (the browser encodes them).
  if (CONTROL_OR_SPACE.test(value)) return "/";
  // Belt and braces: the browser's own parser must agree that it stays on this origin.
  try {
    if (new URL(value, PROBE_ORIGIN).origin !== PROBE_ORIGIN) return "/";
  } catch {
    return "/";
  }
  return value;
}
