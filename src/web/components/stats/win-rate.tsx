/** Win rates and results: a percentage with a small bar, and win/loss badges. */
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

const RESULT_STYLES: Record<GameResult | "unfinished", { label: string; className: string }> = {
  win: { label: "Win", className: "bg-emerald-50 text-emerald-700 ring-emerald-600/20" },
  loss: { label: "Loss", className: "bg-rose-50 text-rose-700 ring-rose-600/20" },
  unfinished: { label: "Unfinished", className: "bg-zinc-100 text-zinc-600 ring-zinc-500/20" },
};

export function ResultBadge({ result }: { result: GameResult | "unfinished" }) {
  const style = RESULT_STYLES[result] ?? RESULT_STYLES.unfinished;
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${style.className}`}>{style.label}</span>;
}
