import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { useCallback } from "react";
import { safeRedirectTarget } from "./safe-redirect.js";
import { refreshSession } from "./session.js";

/**
 * After signing in or up: load the new session, then go to the requested page. The target is
 * pushed as a raw string so its query reaches the page byte for byte.
 */
export function useFinishSignIn() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(
    async (redirect: unknown) => {
      await refreshSession(queryClient);
      router.history.push(safeRedirectTarget(redirect));
    },
    [queryClient, router],
  );
}
