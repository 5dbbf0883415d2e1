import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, Outlet, useNavigate } from "@tanstack/react-router";
import { StatsEmptyState } from "../../components/stats/empty-state.js";
import { StatsFiltersBar } from "../../components/stats/stats-filters.js";
import { Loading, LoadFailed, PageHeading } from "../../components/ui.js";
import { pickFilters, searchParams, statsQueries, statsSearchSchema, type StatsFilters } from "../../lib/stats.js";

/**
 * The frame of every /stats page: the filters (format, from, to, leader, deck, bo: kept in the URL and passed to
 * every stats call), the tabs, and the empty state for a user without any recorded game.
 */
export const Route = createFileRoute("/_authenticated/stats")({
  validateSearch: statsSearchSchema,
  component: StatsLayout,
});

const TAB = "border-b-2 px-1 pb-3 text-sm font-medium whitespace-nowrap transition-colors";
const TAB_IDLE = "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800";
const TAB_ACTIVE = "border-zinc-900 text-zinc-900";

function StatsLayout() {
  const filters = pickFilters(Route.useSearch());
  const navigate = useNavigate();
  const anyGames = useQuery(statsQueries.anyGames());

  function applyFilters(next: StatsFilters) {
    void navigate({
      to: ".",
      search: (prev: Record<string, unknown>) => ({
        ...prev,
        ...searchParams({ format: next.format, from: next.from, to: next.to, leader: next.leader, deck: next.deck, bo: next.bo }),
        page: undefined,
      }),
    });
  }

  const tabs = [
    { to: "/stats", label: "Overview", exact: true },
    { to: "/stats/decks", label: "Decks", exact: false },
    { to: "/stats/matchups", label: "Matchups", exact: true },
    { to: "/stats/cards", label: "Cards", exact: true },
    { to: "/stats/matches", label: "Matches", exact: true },
  ] as const;

  return (
    <div>
      <PageHeading title="Stats" description="Every game you finish on Karabast, summed up." />
      {anyGames.isPending ? (
        <Loading label="Loading your statistics…" />
      ) : anyGames.isError ? (
        <LoadFailed what="your statistics" query={anyGames} />
      ) : !anyGames.data ? (
        <StatsEmptyState />
      ) : (
        <>
          <div className="mb-4">
            <StatsFiltersBar filters={filters} onChange={applyFilters} />
          </div>
          <div className="mb-6 border-b border-zinc-200">
            <nav aria-label="Stats sections" data-keep-focus className="-mb-px flex gap-6 overflow-x-auto">
              {tabs.map((tab) => (
                <Link
                  key={tab.to}
                  to={tab.to}
                  search={searchParams(filters)}
                  className={TAB}
                  activeOptions={{ exact: tab.exact, includeSearch: false }}
                  activeProps={{ className: TAB_ACTIVE }}
                  inactiveProps={{ className: TAB_IDLE }}
                >
                  {tab.label}
                </Link>
              ))}
            </nav>
          </div>
          <Outlet />
        </>
      )}
    </div>
  );
}
