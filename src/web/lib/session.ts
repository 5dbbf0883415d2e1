/**
 * The signed-in user, held in TanStack Query under one key. `GET /api/auth/get-session`
 * answers `null` when signed out. Sign-in and sign-up refresh it; sign-out clears it.
 */
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { api } from "./api.js";
import { authClient } from "./auth-client.js";

interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export interface Session {
  session: { id: string; expiresAt: string };
  user: SessionUser;
}

export const SESSION_QUERY_KEY = ["session"] as const;

export const sessionQuery = queryOptions({
  queryKey: SESSION_QUERY_KEY,
  queryFn: () => api.get<Session | null>("/api/auth/get-session"),
  staleTime: 60_000,
});

/** Refetches the session and waits for it, so guarded routes see the new user at once. */
export async function refreshSession(queryClient: QueryClient): Promise<Session | null> {
  return queryClient.fetchQuery({ ...sessionQuery, staleTime: 0 });
}

/** Signs out and forgets everything cached for the previous user. */
export async function signOut(queryClient: QueryClient): Promise<void> {
  const { error } = await authClient.signOut();
  if (error) throw new Error(error.message ?? "Could not sign out. Please try again.");
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_QUERY_KEY[0] });
  queryClient.setQueryData(SESSION_QUERY_KEY, null);
}
