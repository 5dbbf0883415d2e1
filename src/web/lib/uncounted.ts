/**
 * "Why wasn't my game counted?" (GET /api/me/uncounted-games): games a partner reported for the
 * user's Karabast id that were not attributed to them, and each reason in words.
 */
import { queryOptions } from "@tanstack/react-query";
import type { MeUncountedGames } from "../../server/api-types.js";
import { api } from "./api.js";

/** A game as GET /api/me/uncounted-games lists it (the server's answer type, src/server/api-types.ts). */
export type UncountedGame = MeUncountedGames["games"][number];
type UncountedReason = UncountedGame["reason"];

const UNCOUNTED_QUERY_KEY = ["me", "uncounted-games"] as const;

export const uncountedGamesQuery = queryOptions({
  queryKey: UNCOUNTED_QUERY_KEY,
  queryFn: async () => (await api.get<MeUncountedGames>("/api/me/uncounted-games")).games,
});

const REASONS: Record<UncountedReason, { title: string; explanation: string }> = {
  no_token: {
    title: "Sent without your link",
    explanation: "The partner reported the game without a Swubase token for you: on its side your account is not linked. Link again from there.",
  },
  invalid_token: {
    title: "Unknown token",
    explanation: "The partner sent a token Swubase never issued. If this keeps happening, unlink and link again from the partner's site.",
  },
  link_revoked: {
    title: "Link revoked",
    explanation: "The token belonged to a link that had been unlinked (by you, by the partner, or after a security check). Link again from the partner's site.",
  },
  token_expired: {
    title: "Token expired",
    explanation: "The partner's token for you had expired when it reported the game (it should have refreshed it first).",
  },
  token_user_mismatch: {
    title: "Token of another account",
    explanation: "The partner sent a token that belongs to a different account of theirs than the player in this game.",
  },
};

/** Human wording for a reason; codes added later get a generic sentence. */
export function describeUncountedReason(reason: string): { title: string; explanation: string } {
  return REASONS[reason as UncountedReason] ?? { title: "Not attributed", explanation: "The game could not be attributed to your account." };
}

/** What Karabast never sends, so a game it did not report cannot appear here either. */
export const KARABAST_REPORTING_RULES =
  "Karabast reports a game to Swubase only when it is a Premier game that reached round 2 and at least one of the two players used a Swubase deck. Other games never reach Swubase, so they are not listed here.";
