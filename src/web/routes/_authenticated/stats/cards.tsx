import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { CardName } from "../../../components/stats/card-name.js";
import { DataTable, type Column } from "../../../components/stats/data-table.js";
import { QueryState } from "../../../components/stats/query-state.js";
import { Section } from "../../../components/stats/section.js";
import { WinLossDraw, WinRate } from "../../../components/stats/win-rate.js";
import { formatPoints, isSmallSample, pickFilters, SMALL_SAMPLE, statsQueries, type CardStatsRow, type Rate } from "../../../lib/stats.js";

/** /stats/cards: per card of the user's decks (narrowed by the deck and leader filters), 17lands-style. */
export const Route = createFileRoute("/_authenticated/stats/cards")({
  component: CardsPage,
});

/** A column header with its meaning in the tooltip (and for screen readers). */
function Header({ label, title }: { label: ReactNode; title: string }) {
  return (
    <abbr title={title} className="no-underline">
      {label}
    </abbr>
  );
}

type RateKey = "whenDrawn" | "whenNotDrawn" | "whenPlayed" | "whenResourced";

function rateColumn(key: RateKey, label: ReactNode, title: string, className = ""): Column<CardStatsRow> {
  return {
    key,
    header: <Header label={label} title={title} />,
    align: "right",
    className: `whitespace-nowrap ${className}`,
    cell: (r) => <RateCell rate={r[key]} />,
    sort: (r) => r[key].winRate,
  };
}

function RateCell({ rate }: { rate: Rate }) {
  return (
    <span className="inline-flex flex-col items-end gap-0.5">
      <WinRate value={rate} />
      {rate.games > 0 && (
        <span className={`text-[11px] ${isSmallSample(rate.games) ? "italic text-zinc-500" : ""}`}>
          <WinLossDraw record={rate} />
        </span>
      )}
    </span>
  );
}

/** IWD, green when drawing the card helped, red when it hurt; dimmed when either side rests on few games. */
function Improvement({ row }: { row: CardStatsRow }) {
  const points = row.improvementWhenDrawn;
  const small = isSmallSample(row.whenDrawn.games) || isSmallSample(row.whenNotDrawn.games);
  const tone = points === null ? "text-zinc-500" : points > 0 ? "text-emerald-700" : points < 0 ? "text-rose-700" : "text-zinc-700";
  const text = formatPoints(points);
  const why =
    points === null
      ? "No improvement when drawn: it needs games where the card was drawn and games where it was not."
      : `Improvement when drawn ${text} (n = ${row.whenDrawn.games} games drawn, ${row.whenNotDrawn.games} not drawn)${small ? `. Fewer than ${SMALL_SAMPLE} games on one side: too few to trust.` : ""}`;
  return (
    <span title={why} data-small-sample={small || undefined} data-testid="iwd" className={`relative font-medium tabular-nums ${tone} ${small ? "italic text-zinc-500" : ""}`}>
      <span aria-hidden="true">{text}</span>
      <span className="sr-only">{why}</span>
    </span>
  );
}

const COLUMNS: Column<CardStatsRow>[] = [
  { key: "card", header: "Card", className: "max-w-56", cell: (r) => <CardName card={r.card} />, sort: (r) => r.card.name },
  {
    key: "inDeck",
    header: <Header label="In deck" title="Games with the card in the deck (its card metrics listed it)" />,
    align: "right",
    cell: (r) => r.inDeck.games,
    sort: (r) => r.inDeck.games,
  },
  {
    key: "drawnGames",
    header: <Header label="Drawn" title="Games in which it was drawn (the opening hand counts)" />,
    align: "right",
    className: "hidden sm:table-cell",
    cell: (r) => r.whenDrawn.games,
    sort: (r) => r.whenDrawn.games,
  },
  rateColumn("whenDrawn", "GD WR", "Win rate in games where it was drawn (the opening hand counts: 17lands' GIH)"),
  rateColumn("whenNotDrawn", "GND WR", "Win rate in games with the card in the deck but never drawn"),
  {
    key: "iwd",
    header: <Header label="IWD" title="Improvement when drawn: GD WR − GND WR, in percentage points" />,
    align: "right",
    className: "whitespace-nowrap",
    cell: (r) => <Improvement row={r} />,
    sort: (r) => r.improvementWhenDrawn,
  },
  rateColumn("whenPlayed", "Played WR", "Win rate in games where it was played at least once"),
  rateColumn("whenResourced", "Resourced WR", "Win rate in games where it was put into the resources at least once"),
];

function CardsPage() {
  const filters = pickFilters(Route.useSearch());
  const cards = useQuery(statsQueries.cards(filters));
  const data = cards.data;

  return (
    <Section
      title="Cards"
      description={
        <>
          Every card of your decks (narrow it with the deck and leader filters): win rate when drawn (GD WR; the opening hand counts), when not drawn (GND WR),
          the difference (IWD, in percentage points), and when played or resourced, each with its 95 % interval and n. Click a header to sort. Dimmed: fewer than{" "}
          {SMALL_SAMPLE} games.
          {data && (
            <span data-testid="cards-coverage" className="mt-1 block">
              Card data for {data.gamesWithCards} of {data.games} {data.games === 1 ? "game" : "games"}.
            </span>
          )}
        </>
      }
    >
      <QueryState query={cards} label="Loading the card statistics…">
        {data && (
          <DataTable
            label="Card metrics"
            rows={data.items}
            columns={COLUMNS}
            rowKey={(r) => r.card.id}
            empty={data.games === 0 ? "No games match these filters." : "No card metrics were reported for these games."}
          />
        )}
      </QueryState>
    </Section>
  );
}
