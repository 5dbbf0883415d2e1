/** The five headline tiles of a player's totals: games (with W–L–D), wins, losses, draws and the win rate. */
import type { Rate } from "../../lib/stats.js";
import { StatTile } from "./stat-tile.js";
import { WinLossDraw, WinRate } from "./win-rate.js";

/** Two tiles a row on narrow screens; all five in one row from this breakpoint on. */
const GRID = {
  sm: "grid grid-cols-2 gap-3 sm:grid-cols-5 sm:gap-4",
  md: "grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-5",
} as const;

export function OverviewTiles({
  totals,
  testIdPrefix,
  winRateHint = "wins ÷ games; 95 % interval",
  oneRowFrom = "md",
}: {
  totals: Rate;
  /** "stat": the tiles' test ids are stat-games, stat-record, stat-wins, stat-losses, stat-draws and stat-winrate. */
  testIdPrefix: string;
  winRateHint?: string;
  oneRowFrom?: keyof typeof GRID;
}) {
  const testId = (tile: string) => `${testIdPrefix}-${tile}`;
  return (
    <dl className={GRID[oneRowFrom]}>
      <StatTile
        label="Games"
        value={totals.games}
        testId={testId("games")}
        hint={
          <>
            W–L–D <WinLossDraw record={totals} testId={testId("record")} />
          </>
        }
      />
      <StatTile label="Wins" value={totals.wins} testId={testId("wins")} accent="text-emerald-600" />
      <StatTile label="Losses" value={totals.losses} testId={testId("losses")} accent="text-rose-600" />
      <StatTile label="Draws" value={totals.draws} testId={testId("draws")} accent="text-amber-600" />
      <StatTile label="Win rate" value={<WinRate value={totals} tile testId={testId("winrate")} />} hint={winRateHint} />
    </dl>
  );
}
