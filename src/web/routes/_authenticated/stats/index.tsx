import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { LeaderAndBase } from "../../../components/stats/card-name.js";
import { DataTable, Pager, type Column } from "../../../components/stats/data-table.js";
import { ExportLinks } from "../../../components/stats/export-links.js";
import { QueryState } from "../../../components/stats/query-state.js";
import { OverviewTiles } from "../../../components/stats/overview-tiles.js";
import { BASE_RATE_COLUMNS, LEADER_RATE_COLUMNS } from "../../../components/stats/rate-columns.js";
import { Section } from "../../../components/stats/section.js";
import { WeeklyChart } from "../../../components/stats/weekly-chart.js";
import { ResultBadge } from "../../../components/stats/win-rate.js";
import {
  formatDateTime,
  formatDuration,
  formatLabel,
  pageCount,
  pageSearch,
  pickFilters,
  statsQueries,
  type RecentGame,
} from "../../../lib/stats.js";

export const Route = createFileRoute("/_authenticated/stats/")({
  validateSearch: z.object({ page: pageSearch }),
  component: OverviewPage,
});

const RECENT_COLUMNS: Column<RecentGame>[] = [
  { key: "date", header: "Date", className: "whitespace-nowrap text-zinc-600", cell: (g) => formatDateTime(g.finishedAt) },
  { key: "format", header: "Format", className: "hidden md:table-cell text-zinc-600", cell: (g) => formatLabel(g.format) },
  { key: "me", header: "You", className: "max-w-52", cell: (g) => <LeaderAndBase leader={g.myLeader} base={g.myBase} /> },
  { key: "opponent", header: "Opponent", className: "max-w-52", cell: (g) => <LeaderAndBase leader={g.opponentLeader} base={g.opponentBase} /> },
  { key: "result", header: "Result", cell: (g) => <ResultBadge result={g.result} /> },
  { key: "rounds", header: "Rounds", align: "right", className: "hidden sm:table-cell", cell: (g) => g.rounds ?? "—" },
  { key: "duration", header: "Duration", align: "right", className: "hidden sm:table-cell whitespace-nowrap", cell: (g) => formatDuration(g.durationSeconds) },
];

function OverviewPage() {
  const search = Route.useSearch();
  const filters = pickFilters(search);
  const page = search.page ?? 1;
  const navigate = useNavigate({ from: Route.fullPath });
  const overview = useQuery(statsQueries.overview(filters, page));
  const weekly = useQuery(statsQueries.weekly(filters));
  const leaders = useQuery(statsQueries.leaders(filters));
  const bases = useQuery(statsQueries.bases(filters));

  const data = overview.data;
  const recent = data?.recent;

  return (
    <div className="space-y-6">
      <QueryState query={overview} label="Loading your totals…">
        {data && (
          <OverviewTiles totals={data} testIdPrefix="stat" winRateHint="wins ÷ games; a draw is not a win; 95 % interval" />
        )}
      </QueryState>

      <Section title="Win rate over time" description="Per week (Monday to Sunday, UTC). Bars: games won, drawn and lost; line: win rate (wins ÷ games).">
        <QueryState query={weekly} label="Loading the weekly chart…">
          {weekly.data &&
            (weekly.data.items.length === 0 ? (
              <p className="px-5 py-10 text-center text-sm text-zinc-500">No games match these filters.</p>
            ) : (
              <WeeklyChart weeks={weekly.data.items} />
            ))}
        </QueryState>
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="By leader">
          <QueryState query={leaders}>
            {leaders.data && <DataTable label="By leader" rows={leaders.data.items} columns={LEADER_RATE_COLUMNS} rowKey={(r) => r.leader.id} />}
          </QueryState>
        </Section>
        <Section title="By base">
          <QueryState query={bases}>
            {bases.data && <DataTable label="By base" rows={bases.data.items} columns={BASE_RATE_COLUMNS} rowKey={(r) => r.base.id} />}
          </QueryState>
        </Section>
      </div>

      <Section title="Last games" description="Newest first." actions={<ExportLinks filters={filters} />}>
        <QueryState query={overview}>
          {recent && (
            <>
              <DataTable label="Last games" rows={recent.items} columns={RECENT_COLUMNS} rowKey={(g) => g.gameId} empty="No games match these filters." />
              <Pager
                page={page}
                pageCount={pageCount(recent.total, recent.pageSize)}
                total={recent.total}
                noun="games"
                busy={overview.isPlaceholderData}
                onPage={(p) => void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }), resetScroll: false })}
              />
            </>
          )}
        </QueryState>
      </Section>
    </div>
  );
}
