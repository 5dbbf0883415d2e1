/** The router and the query client it shares with every route through its context. */
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { ErrorPanel } from "./components/error-panel.js";
import { NotFound } from "./components/not-found.js";
import { ApiError } from "./lib/api.js";
import { createRawPreservingSearch } from "./lib/search-serializer.js";
import { SESSION_QUERY_KEY } from "./lib/session.js";
import { routeTree } from "./routeTree.gen.js";

export interface RouterContext {
  queryClient: QueryClient;
}

const isClientError = (err: unknown) => err instanceof ApiError && err.status >= 400 && err.status < 500;

export function createAppRouter() {
  // A 401 from our API means the session ended (expired, or signed out elsewhere): forget it
  // and send the user to sign in, coming back to exactly where they were.
  function onSignedOut(err: unknown) {
    if (!(err instanceof ApiError) || err.status !== 401) return;
    queryClient.setQueryData(SESSION_QUERY_KEY, null);
    const here = window.location.pathname + window.location.search + window.location.hash;
    void router.navigate({ to: "/sign-in", search: { redirect: here } });
  }

  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError: onSignedOut }),
    mutationCache: new MutationCache({ onError: onSignedOut }),
    defaultOptions: {
      queries: {
        retry: (failures, err) => !isClientError(err) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
  const search = createRawPreservingSearch();
  const router = createRouter({
    routeTree,
    context: { queryClient },
    parseSearch: search.parseSearch,
    stringifySearch: search.stringifySearch,
    defaultPreload: "intent",
    defaultPreloadStaleTime: 0,
    defaultNotFoundComponent: NotFound,
    defaultErrorComponent: ErrorPanel,
    scrollRestoration: true,
  });
  return { router, queryClient };
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>["router"];
  }
}
