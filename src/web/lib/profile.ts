/**
 * The public profile: the signed-in user's settings (GET/PATCH /api/me/profile) and a player's
 * public statistics (GET /api/public/{handle}/stats, no sign-in); the answers' types are the
 * server's (src/server/api-types.ts).
 */
import { queryOptions } from "@tanstack/react-query";
import type { ProfileSettings, PublicStats } from "../../server/api-types.js";
import { api } from "./api.js";

export type { ProfileSettings } from "../../server/api-types.js";

/** `handle: null` clears the handle (and makes the statistics private). */
export type ProfileChange = Partial<Pick<ProfileSettings, "publicStats" | "metaOptOut">> & { handle?: string | null };

export const PROFILE_QUERY_KEY = ["me", "profile"] as const;

export const profileQuery = queryOptions({
  queryKey: PROFILE_QUERY_KEY,
  queryFn: () => api.get<ProfileSettings>("/api/me/profile"),
});

export function saveProfile(change: ProfileChange) {
  return api.patch<ProfileSettings>("/api/me/profile", change);
}

const PUBLIC_PAGE_SIZE = 10;

export const publicStatsQuery = (handle: string, page = 1) =>
  queryOptions({
    queryKey: ["public", handle.toLowerCase(), page],
    queryFn: () => api.get<PublicStats>(`/api/public/${encodeURIComponent(handle)}/stats?page=${page}&pageSize=${PUBLIC_PAGE_SIZE}`),
  });

/** The same rules as the server (src/domain/profile/handle.ts), to say what is wrong before sending; the server decides. */
export function handleHint(handle: string): string | null {
  if (handle.length < 3 || handle.length > 30) return "A handle has 3 to 30 characters.";
  if (handle.startsWith("-")) return "A handle cannot start with a hyphen.";
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return "Use only letters, digits, underscores (_) and hyphens (-).";
  return null;
}
