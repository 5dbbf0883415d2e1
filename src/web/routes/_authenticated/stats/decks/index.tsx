import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { CardName } from "../../../../components/stats/card-name.js";
import { DataTable, type Column } from "../../../../components/stats/data-table.js";
import { QueryState } from "../../../../components/stats/query-state.js";
import { rateColumns } from "../../../../components/stats/rate-columns.js";
import { Section } from "../../../../components/stats/section.js";
import { formatDateTime, pickFilters, searchParams, statsQueries, type DeckRow, type StatsFilters } from "../../../../lib/stats.js";

export const Route = createFileRoute("/_authenticated/stats/decks/")({
  component: DecksPage,
});

function deckColumns(filters: StatsFilters): Column<DeckRow>[] {
  return [
    {
      key: "deck",
      header: "Deck",
      className: "max-w-64",
      sort: (r) => r.deck.name ?? r.deck.id,
      cell: (r) => {
        // Karabast sends id null for a linked player's deck that is not a Swubase deck, "unknown" when it could not tell.
        const swubase = r.deck.id !== null && r.deck.id !== "unknown";
        const name = r.deck.name ?? (swubase ? "Unnamed deck" : "Not a Swubase deck");
        return (
          <span className="block min-w-0">
            {r.deck.id !== null ? (
              <Link
                to="/stats/decks/$deckId"
                params={{ deckId: r.deck.id }}
                search={{ ...searchParams(filters), deckName: r.deck.name ?? undefined }}
                className="block truncate font-medium text-zinc-900 underline decoration-zinc-300 underline-offset-2 hover:decoration-zinc-900"
              >
                {name}
              </Link>
            ) : (
              <span className="block truncate font-medium text-zinc-900">{name}</span>
            )}
            <span className="block truncate text-xs text-zinc-500">
              {r.deck.source ?? "unknown source"}
              {swubase ? "" : " · not a Swubase deck"}
            </span>
          </span>
        );
      },
    },
    { key: "leader", header: "Leader", className: "hidden md:table-cell max-w-48", cell: (r) => <CardName card={r.leader} />, sort: (r) => r.leader.name },
    { key: "base", header: "Base", className: "hidden lg:table-cell max-w-40", cell: (r) => <CardName card={r.base} />, sort: (r) => r.base.name },
    ...rateColumns<DeckRow>("whitespace-nowrap"),
    {
      key: "last",
      header: "Last played",
      align: "right",
      className: "hidden sm:table-cell whitespace-nowrap text-zinc-600",
      cell: (r) => formatDateTime(r.lastPlayedAt),
      sort: (r) => r.lastPlayedAt,
    },
  ];
}

function DecksPage() {
  const filters = pickFilters(Route.useSearch());
  const decks = useQuery(statsQueries.decks(filters));
  return (
    <Section title="By deck" description="Open a deck for its card statistics.">
      <QueryState query={decks}>
        {decks.data && (
          <DataTable
            label="By deck"
            rows={decks.data.items}
            columns={deckColumns(filters)}
            rowKey={(r) => `${r.deck.id ?? ""}\u0000${r.deck.name ?? ""}`}
          />
        )}
      </QueryState>
    </Section>
  );
}
