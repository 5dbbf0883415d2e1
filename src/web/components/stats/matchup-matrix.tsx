/**
 * The matchup matrix: the user's leaders (or decks) down, the opponent's leaders (or bases) across,
 * each cell the win rate with its 95 % interval and n, and the W–L–D record (dimmed under 10 games,
 * as every rate). Wider than a phone: it scrolls sideways inside its own box, the row heads stay put.
 */
import { ScrollRegion } from "../scroll-region.js";
import { useMemo } from "react";
import { buildMatrix } from "../../lib/matrix.js";
import { isSmallSample, type CardRef, type MatchupHead, type MatchupRows, type Rate } from "../../lib/stats.js";
import { CardName } from "./card-name.js";
import { WinLossDraw, WinRate } from "./win-rate.js";

/** The deck's name as the decks page shows it ("unknown": Karabast could not tell; null id: not a Swubase deck). */
function deckLabel(deck: NonNullable<MatchupHead["myDeck"]>): string {
  if (deck.id === "unknown") return deck.name ?? "Unlinked deck";
  return deck.name ?? deck.id ?? "Not a Swubase deck";
}

function RowHead({ head }: { head: MatchupHead }) {
  if (!head.myDeck) return <CardName card={head.myLeader} />;
  return (
    <span className="block min-w-0" title={head.myDeck.id ?? undefined}>
      <span className="block truncate font-medium text-zinc-900">{deckLabel(head.myDeck)}</span>
      <span className="block truncate text-xs text-zinc-500">{head.myLeader.name}</span>
    </span>
  );
}

const STICKY = "sticky left-0 z-10 bg-white";

export function MatchupMatrix<T extends MatchupHead & Rate>({
  label,
  cells,
  opponent,
  opponentNoun,
  by,
  testId,
}: {
  /** The table's accessible name. */
  label: string;
  cells: T[];
  opponent: (cell: T) => CardRef;
  /** "leader" or "base": what the columns are. */
  opponentNoun: string;
  by: MatchupRows;
  testId?: string;
}) {
  const matrix = useMemo(() => buildMatrix(cells, opponent, by), [cells, opponent, by]);
  if (matrix.rows.length === 0) return <p className="px-5 py-8 text-center text-sm text-zinc-500">No matchups for these filters.</p>;

  return (
    // `relative`: the screen-reader-only texts (absolutely positioned) scroll with the box instead of widening the page.
    <ScrollRegion label={label} className="relative" testId={testId}>
      <table aria-label={label} className="border-separate border-spacing-0 text-left text-sm">
        <thead>
          <tr className="text-xs font-semibold tracking-wide text-zinc-500">
            <th scope="col" className={`${STICKY} border-b border-zinc-100 px-3 py-2.5 pl-5 align-bottom uppercase`}>
              {by === "deck" ? "Your deck" : "Your leader"}
              <span className="block font-normal tracking-normal text-zinc-500 normal-case">vs opponent {opponentNoun}</span>
            </th>
            {matrix.columns.map((c) => (
              <th key={c.key} scope="col" className="w-32 max-w-32 min-w-28 border-b border-zinc-100 px-3 py-2.5 align-bottom font-normal tracking-normal">
                <CardName card={c.card} />
                <span className="block text-[11px] text-zinc-500 tabular-nums">{c.games === 1 ? "1 game" : `${c.games} games`}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" className={`${STICKY} w-44 max-w-44 min-w-32 border-b border-zinc-100 px-3 py-2.5 pl-5 align-middle font-normal`}>
                <RowHead head={r.head} />
              </th>
              {matrix.columns.map((c) => {
                const cell = matrix.cell(r.key, c.key);
                return (
                  <td
                    key={c.key}
                    data-testid="matrix-cell"
                    data-row={r.head.myDeck ? (r.head.myDeck.id ?? r.head.myDeck.name ?? "") : r.head.myLeader.id}
                    data-column={c.key}
                    className="border-b border-zinc-100 px-3 py-2 text-right align-middle"
                  >
                    {cell ? (
                      <span className="inline-flex flex-col items-end gap-0.5">
                        <WinRate value={cell} />
                        <span className={`text-[11px] ${isSmallSample(cell.games) ? "italic text-zinc-500" : ""}`}>
                          <WinLossDraw record={cell} />
                        </span>
                      </span>
                    ) : (
                      <span className="text-zinc-300" title="No games">
                        —<span className="sr-only">no games</span>
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
