import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { LeaderAndBase } from "../../components/stats/card-name.js";
import { DataTable, Pager, type Column } from "../../components/stats/data-table.js";
import { OverviewTiles } from "../../components/stats/overview-tiles.js";
import { BASE_RATE_COLUMNS, LEADER_RATE_COLUMNS } from "../../components/stats/rate-columns.js";
import { Section } from "../../components/stats/section.js";
import { ResultBadge } from "../../components/stats/win-rate.js";
import { buttonClass, Card, Loading, LoadFailed, PageHeading } from "../../components/ui.js";
import { ApiError } from "../../lib/api.js";
import { publicStatsQuery } from "../../lib/profile.js";
import { formatDateTime, formatLabel, pageCount, pageSearch, type RecentGame } from "../../lib/stats.js";

/**
 * /u/{handle} (no sign-in): a player's public statistics, when they made them public. An unknown
 * handle and a private profile get the same "not found" card.
 */
export const Route = createFileRoute("/u/$handle")({
  validateSearch: z.object({ page: pageSearch }),
  component: PublicProfilePage,
});

const RECENT_COLUMNS: Column<RecentGame>[] = [
  { key: "date", header: "Date", className: "whitespace-nowrap text-zinc-600", cell: (g) => formatDateTime(g.finishedAt) },
  { key: "format", header: "Format", className: "hidden md:table-cell text-zinc-600", cell: (g) => formatLabel(g.format) },
  { key: "player", header: "Played", className: "max-w-52", cell: (g) => <LeaderAndBase leader={g.myLeader} base={g.myBase} /> },
  { key: "opponent", header: "Against", className: "max-w-52", cell: (g) => <LeaderAndBase leader={g.opponentLeader} base={g.opponentBase} /> },
  { key: "result", header: "Result", cell: (g) => <ResultBadge result={g.result} /> },
];

function NoPublicProfile({ handle }: { handle: string }) {
  return (
    <div className="mx-auto max-w-md py-12">
      <Card className="text-center">
        <p className="text-sm font-semibold text-amber-700">404</p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">No public profile here</h1>
        <p className="mt-3 text-zinc-600">
          Nobody shares their statistics as <span className="font-mono text-zinc-900">@{handle}</span>: the handle does not exist, or its owner keeps
          their statistics private.
        </p>
        <Link to="/meta" className={buttonClass("primary", "mt-6")}>
          See the meta
        </Link>
      </Card>
    </div>
  );
}

function PublicProfilePage() {
  const { handle } = Route.useParams();
  const page = Route.useSearch().page ?? 1;
  const navigate = useNavigate({ from: Route.fullPath });
  const stats = useQuery({ ...publicStatsQuery(handle, page), placeholderData: (previous) => previous });

  if (stats.isPending) return <Loading label="Loading the statistics…" />;
  if (stats.isError) {
    if (stats.error instanceof ApiError && stats.error.status === 404) return <NoPublicProfile handle={handle} />;
    return <LoadFailed what="these statistics" query={stats} />;
  }
  const data = stats.data;
  return (
    <div className="space-y-6">
      <PageHeading title={`@${data.handle}`} description="Public statistics: every game this player finished on Karabast, summed up." />
      <OverviewTiles totals={data} testIdPrefix="public" oneRowFrom="sm" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="By leader">
          <DataTable label="By leader" rows={data.leaders} columns={LEADER_RATE_COLUMNS} rowKey={(r) => r.leader.id} empty="No games yet." />
        </Section>
        <Section title="By base">
          <DataTable label="By base" rows={data.bases} columns={BASE_RATE_COLUMNS} rowKey={(r) => r.base.id} empty="No games yet." />
        </Section>
      </div>
      <Section title="Recent games" description="Newest first.">
        <DataTable label="Recent games" rows={data.recent.items} columns={RECENT_COLUMNS} rowKey={(g) => g.gameId} empty="No games yet." />
        <Pager
          page={page}
          pageCount={pageCount(data.recent.total, data.recent.pageSize)}
          total={data.recent.total}
          noun="games"
          busy={stats.isPlaceholderData}
          onPage={(p) => void navigate({ search: { page: p > 1 ? p : undefined }, resetScroll: false })}
        />
      </Section>
    </div>
  );
}
