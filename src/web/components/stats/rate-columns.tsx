/** The games / W–L–D / win rate columns every per-thing statistics table ends with, and the by-leader and by-base tables' columns. */
import { CardName } from "./card-name.js";
import type { Column } from "./data-table.js";
import { WinLossDraw, WinRate } from "./win-rate.js";

import type { BaseRow, LeaderRow, Rate } from "../../lib/stats.js";

type Tally = Rate;

/** `recordClassName`: where the W–L–D column shows (hidden on narrow screens where space is short). */
export function rateColumns<T extends Tally>(recordClassName = "hidden whitespace-nowrap sm:table-cell"): Column<T>[] {
  return [
    { key: "games", header: "Games", align: "right", cell: (r) => r.games, sort: (r) => r.games },
    {
      key: "record",
      header: (
        <abbr title="wins–losses–draws" className="no-underline">
          W–L–D
        </abbr>
      ),
      align: "right",
      className: recordClassName,
      cell: (r) => <WinLossDraw record={r} />,
      sort: (r) => r.wins,
    },
    { key: "winRate", header: "Win rate", align: "right", cell: (r) => <WinRate value={r} />, sort: (r) => r.winRate },
  ];
}

/** A "by leader" table: the leader, then its rates. */
export const LEADER_RATE_COLUMNS: Column<LeaderRow>[] = [
  { key: "leader", header: "Leader", cell: (r) => <CardName card={r.leader} />, sort: (r) => r.leader.name },
  ...rateColumns<LeaderRow>(),
];

/** A "by base" table: the base, then its rates. */
export const BASE_RATE_COLUMNS: Column<BaseRow>[] = [
  { key: "base", header: "Base", cell: (r) => <CardName card={r.base} />, sort: (r) => r.base.name },
  ...rateColumns<BaseRow>(),
];
