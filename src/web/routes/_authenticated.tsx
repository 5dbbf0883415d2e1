import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { sessionQuery } from "../lib/session.js";

/**
 * Every page under this layout needs a signed-in user. Signed-out visitors go to /sign-in
 * carrying the full original path and query, and come back to exactly that URL.
 */
export const Route = createFileRoute("/_authenticated")({
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData({ ...sessionQuery, revalidateIfStale: true });
    if (!session) {
      throw redirect({ to: "/sign-in", search: { redirect: location.href } });
    }
    return { user: session.user };
  },
  component: Outlet,
});
