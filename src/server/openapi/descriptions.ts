/** What several registry entries (registry.ts, registry-profile-meta.ts) say alike: common error statuses and headers. */

export const SESSION_401 = "`login_required`: no valid session cookie.";
export const CROSS_ORIGIN_403 = "`access_denied`: the Origin header is not this site's.";
export const BODY_413 = "`payload_too_large`: the body exceeds the limit.";
export const DB_503 = "`temporarily_unavailable`: the database is not answering (with Retry-After).";
export const NO_STORE = { "Cache-Control": "no-store" };
