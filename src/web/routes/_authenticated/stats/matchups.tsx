import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useEffect, useId, useState } from "react";
import { CardName } from "../../../components/stats/card-name.js";
import { DataTable, type Column } from "../../../components/stats/data-table.js";
import { MatchupMatrix } from "../../../components/stats/matchup-matrix.js";
import { QueryState } from "../../../components/stats/query-state.js";
import { rateColumns } from "../../../components/stats/rate-columns.js";
import { Section } from "../../../components/stats/section.js";
import {
  matchupSearchSchema,
  MIN_GAMES_MAX,
  pickFilters,
  SMALL_SAMPLE,
  statsQueries,
  type MatchupBaseRow,
  type MatchupRow,
  type MatchupRows,
} from "../../../lib/stats.js";

/** /stats/matchups?by=deck&minGames=5 (with the stats filters): the matrix × opponent leader and × opponent base, then the list. */
export const Route = createFileRoute("/_authenticated/stats/matchups")({
  validateSearch: matchupSearchSchema,
  component: MatchupsPage,
});

const opponentLeader = (c: MatchupRow) => c.opponentLeader;
const opponentBase = (c: MatchupBaseRow) => c.opponentBase;

function mineColumn(by: MatchupRows): Column<MatchupRow> {
  if (by === "leader") return { key: "mine", header: "Your leader", className: "max-w-56", cell: (r) => <CardName card={r.myLeader} />, sort: (r) => r.myLeader.name };
  return {
    key: "mine",
    header: "Your deck",
    className: "max-w-56",
    cell: (r) => <CardName card={{ id: r.myDeck?.id ?? "", name: r.myDeck?.name ?? r.myDeck?.id ?? "Not a Swubase deck", subtitle: r.myLeader.name }} />,
    sort: (r) => r.myDeck?.name ?? "",
  };
}

const listColumns = (by: MatchupRows): Column<MatchupRow>[] => [
  mineColumn(by),
  { key: "vs", header: <span className="sr-only">versus</span>, className: "w-8 text-center text-xs font-semibold text-zinc-500", cell: () => "vs" },
  { key: "theirs", header: "Opponent leader", className: "max-w-56", cell: (r) => <CardName card={r.opponentLeader} />, sort: (r) => r.opponentLeader.name },
  ...rateColumns<MatchupRow>("whitespace-nowrap"),
];

const SEGMENT = "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-[:checked]:bg-white has-[:checked]:text-zinc-900 has-[:checked]:shadow-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-zinc-900";

/** Rows by leader or by deck, and the fewest games a cell needs: kept in the URL (`by`, `minGames`). */
function MatrixControls({ by, minGames, onChange }: { by: MatchupRows; minGames: number | undefined; onChange: (next: { by?: MatchupRows; minGames?: number }) => void }) {
  const id = useId();
  const [text, setText] = useState(minGames ? String(minGames) : "");
  useEffect(() => setText(minGames ? String(minGames) : ""), [minGames]);
  const invalid = text !== "" && !(/^\d{1,6}$/.test(text) && Number(text) <= MIN_GAMES_MAX);

  return (
    <div className="flex flex-wrap items-end gap-4">
      <fieldset>
        <legend className="block text-xs font-medium text-zinc-600">Rows</legend>
        <div className="mt-1 inline-flex rounded-lg bg-zinc-100 p-0.5 text-zinc-600">
          {(["leader", "deck"] as const).map((value) => (
            <label key={value} className={SEGMENT}>
              <input type="radio" name={`${id}-by`} value={value} checked={by === value} onChange={() => onChange({ by: value })} className="sr-only" />
              {value === "leader" ? "My leaders" : "My decks"}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="w-40">
        <label htmlFor={`${id}-min`} className="block text-xs font-medium text-zinc-600">
          Min. games per cell
        </label>
        <input
          id={`${id}-min`}
          type="number"
          inputMode="numeric"
          min={0}
          max={MIN_GAMES_MAX}
          step={1}
          placeholder="1"
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-min-error` : undefined}
          onChange={(e) => {
            const v = e.target.value;
            setText(v);
            if (v === "") onChange({ minGames: undefined });
            else if (/^\d{1,6}$/.test(v) && Number(v) <= MIN_GAMES_MAX) onChange({ minGames: Number(v) || undefined });
          }}
          className="mt-1 block w-full rounded-lg bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-zinc-900 focus:outline-none"
        />
      </div>
      {invalid && (
        <p id={`${id}-min-error`} role="alert" className="w-full text-sm text-red-600">
          Min. games must be a whole number from 0 to {MIN_GAMES_MAX.toLocaleString()}.
        </p>
      )}
    </div>
  );
}

function MatchupsPage() {
  const search = Route.useSearch();
  const filters = pickFilters(search);
  const by = search.by ?? "leader";
  const navigate = useNavigate({ from: Route.fullPath });
  const matchups = useQuery(statsQueries.matchups(filters, { by, minGames: search.minGames }));
  const data = matchups.data;
  const mine = by === "deck" ? "deck" : "leader";
  const legend = `Win rate with its 95 % interval and n, then W–L–D. Dimmed: fewer than ${SMALL_SAMPLE} games.`;

  return (
    <div className="space-y-6">
      <MatrixControls
        by={by}
        minGames={search.minGames}
        onChange={(next) =>
          void navigate({
            search: (prev) => ({ ...prev, ...next, by: (next.by ?? by) === "deck" ? "deck" : undefined }),
            replace: true,
            resetScroll: false,
          })
        }
      />
      <Section title="Against opponent leaders" description={`Your ${mine} (rows) against the opponent’s leader (columns). ${legend}`}>
        <QueryState query={matchups}>
          {data && (
            <MatchupMatrix label="Matchup matrix by opponent leader" cells={data.items} opponent={opponentLeader} opponentNoun="leader" by={data.by} testId="matrix-leaders" />
          )}
        </QueryState>
      </Section>
      <Section title="Against opponent bases" description={`Your ${mine} (rows) against the opponent’s base (columns). ${legend}`}>
        <QueryState query={matchups}>
          {data && (
            <MatchupMatrix label="Matchup matrix by opponent base" cells={data.byOpponentBase} opponent={opponentBase} opponentNoun="base" by={data.by} testId="matrix-bases" />
          )}
        </QueryState>
      </Section>
      <Section title="Matchups" description={`Your ${mine} against the opponent’s leader, as a sortable list.`}>
        <QueryState query={matchups}>
          {data && (
            <DataTable
              label="Matchups"
              rows={data.items}
              columns={listColumns(data.by)}
              rowKey={(r) => `${r.myDeck ? JSON.stringify([r.myDeck.id, r.myDeck.name]) : r.myLeader.id}:${r.opponentLeader.id}`}
            />
          )}
        </QueryState>
      </Section>
    </div>
  );
}
