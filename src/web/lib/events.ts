/** The signed-in user's link events (GET /api/me/events): the audit trail shown under Integrations. */
import { queryOptions } from "@tanstack/react-query";
import type { MeEvents } from "../../server/api-types.js";
import { api } from "./api.js";

/** An event as GET /api/me/events lists it (the server's answer type, src/server/api-types.ts). */
export type LinkEvent = MeEvents["events"][number];

export const EVENTS_QUERY_KEY = ["me", "events"] as const;

export const eventsQuery = queryOptions({
  queryKey: EVENTS_QUERY_KEY,
  queryFn: async () => (await api.get<MeEvents>("/api/me/events")).events,
});

export type EventTone = "neutral" | "good" | "warning" | "danger";

const EVENTS: Record<string, { label: string; tone: EventTone }> = {
  link_requested: { label: "Link requested", tone: "neutral" },
  link_approved: { label: "Link approved", tone: "good" },
  link_denied: { label: "Link declined", tone: "neutral" },
  link_confirmed: { label: "Link confirmed by partner", tone: "good" },
  link_replaced: { label: "Link replaced", tone: "warning" },
  token_refreshed: { label: "Tokens refreshed", tone: "neutral" },
  refresh_reuse_detected: { label: "Old token replayed — link revoked", tone: "danger" },
  unlinked_by_user: { label: "Unlinked by you", tone: "warning" },
  unlinked_by_partner: { label: "Unlinked by partner", tone: "warning" },
  token_rejected: { label: "Token rejected", tone: "danger" },
  client_auth_failed: { label: "Partner authentication failed", tone: "danger" },
};

/** Human wording for an event name; names added later read as "Some new event". */
export function eventLabel(event: string): string {
  const known = EVENTS[event]?.label;
  if (known) return known;
  const words = event.replace(/[_-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "Unknown event";
}

export function eventTone(event: string): EventTone {
  return EVENTS[event]?.tone ?? "neutral";
}

/** A short browser description from a user agent ("Chrome on Linux"), or null. */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser =
    /Edg\//.test(userAgent) ? "Edge"
    : /Firefox\//.test(userAgent) ? "Firefox"
    : /Chrom(e|ium)\//.test(userAgent) ? "Chrome"
    : /Safari\//.test(userAgent) ? "Safari"
    : null;
  const os =
    /Windows/.test(userAgent) ? "Windows"
    : /Android/.test(userAgent) ? "Android"
    : /iPhone|iPad/.test(userAgent) ? "iOS"
    : /Mac OS X/.test(userAgent) ? "macOS"
    : /Linux/.test(userAgent) ? "Linux"
    : null;
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
}
