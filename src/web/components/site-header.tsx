/** Brand, navigation and the account menu (who is signed in, or links to sign in / up). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { errorMessage } from "../lib/api.js";
import { sessionQuery, signOut } from "../lib/session.js";
import { Button, buttonClass } from "./ui.js";

const NAV_LINK = "rounded-md px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900";
const NAV_LINK_ACTIVE = "bg-zinc-100 text-zinc-900";

export function SiteHeader() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useQuery(sessionQuery);
  const user = session.data?.user;

  const signOutMutation = useMutation({
    mutationFn: () => signOut(queryClient),
    onSuccess: () => navigate({ to: "/" }),
  });

  return (
    <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 sm:px-6">
        <Link to="/" className="flex items-center gap-2 text-lg font-bold tracking-tight text-zinc-900">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-lg bg-zinc-900 text-sm font-black text-amber-400">
            S
          </span>
          Swubase
        </Link>
        <nav aria-label="Main" className="order-last -mx-3 flex w-full items-center gap-1 sm:order-none sm:mx-0 sm:w-auto">
          <Link to="/stats" className={NAV_LINK} activeProps={{ className: NAV_LINK_ACTIVE }}>
            Stats
          </Link>
          <Link to="/meta" className={NAV_LINK} activeProps={{ className: NAV_LINK_ACTIVE }}>
            Meta
          </Link>
          <Link to="/settings/integrations" className={NAV_LINK} activeProps={{ className: NAV_LINK_ACTIVE }}>
            Integrations
          </Link>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {session.isPending ? (
            <span className="h-9 w-32 animate-pulse rounded-lg bg-zinc-100" aria-hidden="true" />
          ) : user ? (
            <>
              <Link to="/settings" className="hidden min-w-0 text-right leading-tight sm:block" title="Account settings">
                <span className="block max-w-48 truncate text-sm font-medium text-zinc-900">{user.name}</span>
                <span className="block max-w-48 truncate text-xs text-zinc-500">{user.email}</span>
              </Link>
              <Button variant="secondary" onClick={() => signOutMutation.mutate()} pending={signOutMutation.isPending}>
                Sign out
              </Button>
            </>
          ) : (
            <>
              <Link to="/sign-in" className={buttonClass("ghost")}>
                Sign in
              </Link>
              <Link to="/sign-up" className={buttonClass("primary")}>
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
      {signOutMutation.isError && (
        <div role="alert" className="border-t border-red-200 bg-red-50 px-4 py-2 text-center text-sm text-red-800">
          {errorMessage(signOutMutation.error)}
        </div>
      )}
    </header>
  );
}
