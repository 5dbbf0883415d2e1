import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { CardName } from "../../../components/stats/card-name.js";
import { DataTable, type Column } from "../../../components/stats/data-table.js";
import { QueryState } from "../../../components/stats/query-state.js";
import { rateColumns } from "../../../components/stats/rate-columns.js";
import { Section } from "../../../components/stats/section.js";
import { pickFilters, statsQueries, type MatchupRow } from "../../../lib/stats.js";

export const Route = createFileRoute("/_authenticated/stats/matchups")({
  component: MatchupsPage,
});

const COLUMNS: Column<MatchupRow>[] = [
  { key: "mine", header: "Your leader", className: "max-w-56", cell: (r) => <CardName card={r.myLeader} />, sort: (r) => r.myLeader.name },
  {
    key: "vs",
    header: <span className="sr-only">versus</span>,
    className: "w-8 text-center text-xs font-semibold text-zinc-500",
    cell: () => "vs",
  },
  { key: "theirs", header: "Opponent leader", className: "max-w-56", cell: (r) => <CardName card={r.opponentLeader} />, sort: (r) => r.opponentLeader.name },
  ...rateColumns<MatchupRow>("whitespace-nowrap"),
];

function MatchupsPage() {
  const filters = pickFilters(Route.useSearch());
  const matchups = useQuery(statsQueries.matchups(filters));
  return (
    <Section title="Matchups" description="Your leader against the opponent’s leader.">
      <QueryState query={matchups}>
        {matchups.data && (
          <DataTable label="Matchups" rows={matchups.data.items} columns={COLUMNS} rowKey={(r) => `${r.myLeader.id}:${r.opponentLeader.id}`} />
        )}
      </QueryState>
    </Section>
  );
}
