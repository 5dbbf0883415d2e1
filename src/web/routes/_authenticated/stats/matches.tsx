import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { DataTable, Pager, type Column } from "../../../components/stats/data-table.js";
import { QueryState } from "../../../components/stats/query-state.js";
import { Section } from "../../../components/stats/section.js";
import { StatTile } from "../../../components/stats/stat-tile.js";
import { ResultBadge, ResultLetter, WinLossDraw, WinRate } from "../../../components/stats/win-rate.js";
import { formatDateTime, formatLabel, pageCount, pageSearch, pickFilters, statsQueries, type Match } from "../../../lib/stats.js";

export const Route = createFileRoute("/_authenticated/stats/matches")({
  validateSearch: z.object({ page: pageSearch }),
  component: MatchesPage,
});

const COLUMNS: Column<Match>[] = [
  { key: "date", header: "Date", className: "whitespace-nowrap text-zinc-600", cell: (m) => formatDateTime(m.finishedAt) },
  { key: "format", header: "Format", className: "hidden sm:table-cell text-zinc-600", cell: (m) => formatLabel(m.format) },
  {
    key: "score",
    header: "Score",
    cell: (m) => (
      <span
        className="text-base font-bold tabular-nums text-zinc-900"
        aria-label={`${m.myWins} to ${m.opponentWins}${m.draws > 0 ? `, ${m.draws} drawn` : ""}`}
      >
        {m.score}
      </span>
    ),
  },
  { key: "result", header: "Result", cell: (m) => <ResultBadge result={m.result} /> },
  {
    key: "games",
    header: "Games",
    className: "hidden md:table-cell",
    cell: (m) => (
      <ol className="space-y-0.5 text-xs text-zinc-600">
        {m.games.map((g) => (
          <li key={g.gameId} className="flex items-center gap-2">
            <ResultLetter result={g.result} />
            <span className="text-zinc-500">G{g.sequenceNumber}</span>
            <span title={g.myLeader.id} className="truncate text-zinc-800">
              {g.myLeader.name}
            </span>
            <span className="text-zinc-500">vs</span>
            <span title={g.opponentLeader.id} className="truncate">
              {g.opponentLeader.name}
            </span>
          </li>
        ))}
      </ol>
    ),
  },
];

function MatchesPage() {
  const search = Route.useSearch();
  const page = search.page ?? 1;
  const navigate = useNavigate({ from: Route.fullPath });
  const matches = useQuery(statsQueries.matches(pickFilters(search), page));
  const data = matches.data;

  return (
    <div className="space-y-6">
      <QueryState query={matches} label="Loading your matches…">
        {data && (
          <dl className="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-5">
            <StatTile
              label="Matches"
              value={data.matches}
              testId="match-count"
              hint={
                <>
                  W–L–D <WinLossDraw record={data} testId="match-record" />
                </>
              }
            />
            <StatTile label="Matches won" value={data.wins} accent="text-emerald-600" />
            <StatTile label="Matches lost" value={data.losses} accent="text-rose-600" />
            <StatTile label="Matches drawn" value={data.draws} accent="text-amber-600" hint="as many games won as lost, e.g. 1–1" />
            <StatTile
              label="Match win rate"
              value={<WinRate value={{ ...data, games: data.matches }} noun="matches" tile testId="match-winrate" />}
              hint="matches won ÷ matches; 95 % interval"
            />
          </dl>
        )}
      </QueryState>
      <Section
        title="Best-of-three matches"
        description="Games of one lobby whose game numbers rise from 1 (a rematch in the same lobby is another match), newest first."
      >
        <QueryState query={matches}>
          {data && (
            <>
              <DataTable label="Best-of-three matches" rows={data.items} columns={COLUMNS} rowKey={(m) => m.matchId} empty="No best-of-three matches for these filters." />
              <Pager
                page={page}
                pageCount={pageCount(data.total, data.pageSize)}
                total={data.total}
                noun="matches"
                busy={matches.isPlaceholderData}
                onPage={(p) => void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }), resetScroll: false })}
              />
            </>
          )}
        </QueryState>
      </Section>
    </div>
  );
}
