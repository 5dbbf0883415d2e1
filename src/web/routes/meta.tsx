import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { DataTable } from "../components/stats/data-table.js";
import { QueryState } from "../components/stats/query-state.js";
import { BASE_RATE_COLUMNS, LEADER_RATE_COLUMNS } from "../components/stats/rate-columns.js";
import { Section } from "../components/stats/section.js";
import { StatsFiltersBar } from "../components/stats/stats-filters.js";
import { PageHeading } from "../components/ui.js";
import { metaQueries, metaSearchSchema } from "../lib/meta.js";
import { formatDateTime } from "../lib/stats.js";

/**
 * /meta (no sign-in): how every leader and base does across the players who link Karabast and
 * have not opted out, over a period and format kept in the URL.
 */
export const Route = createFileRoute("/meta")({
  validateSearch: metaSearchSchema,
  component: MetaPage,
});

/** The meta is across players: no filter on one player's leaders, decks or best-of. */
const META_FILTERS = ["format", "dates"] as const;

function MetaPage() {
  const filters = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  // A range the wrong way round is the server's 400, shown in place of each table.
  const leaders = useQuery(metaQueries.leaders(filters));
  const bases = useQuery(metaQueries.bases(filters));
  const answer = leaders.data ?? bases.data;
  const minGames = answer?.minGames ?? 20;
  const empty = (what: string) => `No ${what} has ${minGames} games or more in this period and format yet.`;

  return (
    <div>
      <PageHeading
        title="Meta"
        description="How each leader and base does across every Swubase player who links Karabast, counted from each linked player’s side of the game."
      />
      <div className="mb-4">
        <StatsFiltersBar
          filters={filters}
          shown={META_FILTERS}
          label="Filter the meta"
          onChange={(next) => void navigate({ search: { format: next.format, from: next.from, to: next.to } })}
        />
      </div>
      <p className="mb-6 text-sm text-zinc-500" data-testid="meta-note">
        Only leaders and bases with at least {minGames} games are listed. Players can leave their games out in their settings. Updated every
        minute{answer?.refreshedAt ? `; last updated ${formatDateTime(answer.refreshedAt)}` : ""}.
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Leaders">
          <QueryState query={leaders} label="Loading the leaders…">
            {leaders.data && <DataTable label="Meta by leader" rows={leaders.data.items} columns={LEADER_RATE_COLUMNS} rowKey={(r) => r.leader.id} empty={empty("leader")} />}
          </QueryState>
        </Section>
        <Section title="Bases">
          <QueryState query={bases} label="Loading the bases…">
            {bases.data && <DataTable label="Meta by base" rows={bases.data.items} columns={BASE_RATE_COLUMNS} rowKey={(r) => r.base.id} empty={empty("base")} />}
          </QueryState>
        </Section>
      </div>
    </div>
  );
}
