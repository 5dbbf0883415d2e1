/** The games / W–L / win rate columns every per-thing statistics table ends with. */
import type { Column } from "./data-table.js";
import { WinRate } from "./win-rate.js";

type Tally = { games: number; wins: number; losses: number; winRate: number | null };

/** `recordClassName`: where the W–L column shows (hidden on narrow screens where space is short). */
export function rateColumns<T extends Tally>(recordClassName = "hidden whitespace-nowrap sm:table-cell"): Column<T>[] {
  return [
    { key: "games", header: "Games", align: "right", cell: (r) => r.games, sort: (r) => r.games },
    {
      key: "record",
      header: "W–L",
      align: "right",
      className: recordClassName,
      cell: (r) => (
        <>
          <span className="text-emerald-700">{r.wins}</span>
          <span className="text-zinc-400">–</span>
          <span className="text-rose-700">{r.losses}</span>
        </>
      ),
      sort: (r) => r.wins,
    },
    { key: "winRate", header: "Win rate", align: "right", cell: (r) => <WinRate rate={r.winRate} />, sort: (r) => r.winRate },
  ];
}
