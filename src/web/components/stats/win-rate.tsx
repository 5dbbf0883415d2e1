/** Win rates and results: a percentage with a small bar, a W–L–D record, and win/loss/draw badges. */
import { formatPercent, type GameResult } from "../../lib/stats.js";

/** Colour of a win rate: green above 55 %, red below 45 %, neutral between. */
function tone(rate: number | null): string {
  if (rate === null) return "bg-zinc-300";
  if (rate >= 0.55) return "bg-emerald-500";
  if (rate <= 0.45) return "bg-rose-500";
  return "bg-amber-400";
}

/** A win rate with a small bar before it (the bar is left out when `compact`). */
export function WinRate({ rate, compact = false }: { rate: number | null; compact?: boolean }) {
  return (
    <span className="inline-flex items-center justify-end gap-2">
      <span aria-hidden="true" className={`h-1.5 w-12 overflow-hidden rounded-full bg-zinc-100 ${compact ? "hidden" : "hidden sm:block"}`}>
        <span className={`block h-full rounded-full ${tone(rate)}`} style={{ width: `${Math.round((rate ?? 0) * 100)}%` }} />
      </span>
      <span className="min-w-12 text-right font-medium tabular-nums text-zinc-900">{formatPercent(rate)}</span>
    </span>
  );
}

/** Wins–losses–draws, coloured; reads "12–7–1" (formatRecord), the words in its tooltip. */
export function WinLossDraw({ record, testId }: { record: { wins: number; losses: number; draws: number }; testId?: string }) {
  const { wins, losses, draws } = record;
  return (
    <span data-testid={testId} title={`${wins} won, ${losses} lost, ${draws} drawn`} className="tabular-nums">
      <span className="text-emerald-700">{wins}</span>
      <span className="text-zinc-400">–</span>
      <span className="text-rose-700">{losses}</span>
      <span className="text-zinc-400">–</span>
      <span className="text-amber-700">{draws}</span>
    </span>
  );
}

const RESULT_STYLES: Record<GameResult, { label: string; letter: string; className: string; text: string }> = {
  win: { label: "Win", letter: "W", className: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", text: "text-emerald-600" },
  loss: { label: "Loss", letter: "L", className: "bg-rose-50 text-rose-700 ring-rose-600/20", text: "text-rose-600" },
  draw: { label: "Draw", letter: "D", className: "bg-amber-50 text-amber-700 ring-amber-600/20", text: "text-amber-600" },
};

export function ResultBadge({ result }: { result: GameResult }) {
  const style = RESULT_STYLES[result] ?? RESULT_STYLES.draw;
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${style.className}`}>{style.label}</span>;
}

/** W, L or D in the result's colour (a game inside a match). */
export function ResultLetter({ result }: { result: GameResult }) {
  const style = RESULT_STYLES[result] ?? RESULT_STYLES.draw;
  return (
    <span title={style.label} className={`inline-block w-4 font-bold ${style.text}`}>
      {style.letter}
    </span>
  );
}
