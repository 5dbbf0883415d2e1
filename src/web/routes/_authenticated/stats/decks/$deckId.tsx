import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { z } from "zod";
import { CardName } from "../../../../components/stats/card-name.js";
import { DataTable, type Column } from "../../../../components/stats/data-table.js";
import { OverviewTiles } from "../../../../components/stats/overview-tiles.js";
import { QueryState } from "../../../../components/stats/query-state.js";
import { Section } from "../../../../components/stats/section.js";
import { WinLossDraw, WinRate } from "../../../../components/stats/win-rate.js";
import { formatDecimal, pickFilters, searchParams, statsQueries, type CardMetricsRow, type Rate } from "../../../../lib/stats.js";

export const Route = createFileRoute("/_authenticated/stats/decks/$deckId")({
  validateSearch: z.object({ deckName: z.string().max(500).optional().catch(undefined) }),
  component: DeckPage,
});

const AVERAGES = ["drawn", "played", "resourced", "activated", "discarded"] as const;

function ShareCell({ share }: { share: Rate }) {
  return (
    <span className="inline-flex flex-col items-end">
      <WinRate value={share} compact />
      <span className="text-xs whitespace-nowrap text-zinc-500">
        <WinLossDraw record={share} /> · {share.games} {share.games === 1 ? "game" : "games"}
      </span>
    </span>
  );
}

const COLUMNS: Column<CardMetricsRow>[] = [
  { key: "card", header: "Card", className: "max-w-60", cell: (r) => <CardName card={r.card} />, sort: (r) => r.card.name },
  { key: "games", header: "Games", align: "right", cell: (r) => r.games, sort: (r) => r.games },
  ...AVERAGES.map(
    (k): Column<CardMetricsRow> => ({
      key: k,
      header: k[0]!.toUpperCase() + k.slice(1),
      align: "right",
      className: k === "activated" || k === "discarded" ? "hidden lg:table-cell" : "",
      cell: (r) => <span className={r.avg[k] === 0 ? "text-zinc-500" : "text-zinc-900"}>{formatDecimal(r.avg[k])}</span>,
      sort: (r) => r.avg[k],
    }),
  ),
  { key: "whenPlayed", header: (
      <>
        Win %
        <br />
        played
      </>
    ), align: "right", cell: (r) => <ShareCell share={r.whenPlayed} />, sort: (r) => r.whenPlayed.winRate },
  {
    key: "whenNotPlayed",
    header: (
      <>
        Win %
        <br />
        not played
      </>
    ),
    align: "right",
    className: "hidden sm:table-cell",
    cell: (r) => <ShareCell share={r.whenNotPlayed} />,
    sort: (r) => r.whenNotPlayed.winRate,
  },
];

function DeckPage() {
  const { deckId } = Route.useParams();
  const search = Route.useSearch();
  const filters = pickFilters(search);
  const deck = useQuery(statsQueries.deckCards(filters, deckId, search.deckName));
  const data = deck.data;
  // "unknown": a deck Karabast could not tell (not a Swubase deck).
  const notSwubase = deckId === "unknown";
  const title = data?.deck.name ?? search.deckName ?? (notSwubase ? "Not a Swubase deck" : deckId);

  return (
    <div className="space-y-6">
      <div>
        <Link to="/stats/decks" search={searchParams(filters)} className="text-sm font-medium text-zinc-500 hover:text-zinc-900">
          ← All decks
        </Link>
        <h2 className="mt-2 text-xl font-bold tracking-tight text-zinc-900">{title}</h2>
        {data && (
          <p className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-600">
            {data.leader && (
              <span className="inline-flex items-center gap-1.5">
                <span className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Leader</span>
                <span title={data.leader.id} className="text-zinc-900">
                  {data.leader.name}
                  {data.leader.subtitle ? `, ${data.leader.subtitle}` : ""}
                </span>
              </span>
            )}
            {data.base && (
              <span className="inline-flex items-center gap-1.5">
                <span className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Base</span>
                <span title={data.base.id} className="text-zinc-900">
                  {data.base.name}
                </span>
              </span>
            )}
            {notSwubase ? (
              <span className="text-xs text-zinc-500">not a Swubase deck</span>
            ) : (
              <span className="font-mono text-xs text-zinc-500" title="Deck id">
                {deckId}
              </span>
            )}
          </p>
        )}
      </div>

      <QueryState query={deck} label="Loading the deck’s statistics…">
        {data && (
          <div className="space-y-6">
            <OverviewTiles totals={data} testIdPrefix="deck" />
            <Section
              title="Cards"
              description="Averages per game over the games that list the card; win rate and W–L–D in games where it was played (at least once) or not."
            >
              <DataTable
                label="Card statistics"
                rows={data.items}
                columns={COLUMNS}
                rowKey={(r) => r.card.id}
                empty={data.games === 0 ? "No games with this deck for these filters." : "No card metrics were reported for this deck."}
              />
            </Section>
          </div>
        )}
      </QueryState>
    </div>
  );
}
