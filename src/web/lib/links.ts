/** The signed-in user's links to partner services (GET /api/me/links, DELETE /api/me/links/:id). */
import { queryOptions } from "@tanstack/react-query";
import type { MeLinks } from "../../server/api-types.js";
import { api } from "./api.js";

/** A link as GET /api/me/links lists it (the server's answer type, src/server/api-types.ts). */
export type AccountLink = MeLinks["links"][number];
export type LinkStatus = AccountLink["status"];

export const LINKS_QUERY_KEY = ["me", "links"] as const;

export const linksQuery = queryOptions({
  queryKey: LINKS_QUERY_KEY,
  queryFn: async () => (await api.get<MeLinks>("/api/me/links")).links,
});

export function unlink(id: string) {
  return api.delete<{ success: true }>(`/api/me/links/${encodeURIComponent(id)}`);
}

/** "karabast" → "Karabast". */
export function integrationLabel(integration: string): string {
  return integration
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDate(value: string | null): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : DATE_FORMAT.format(date);
}
