/** One headline number with its label (games, wins, losses, win rate). */
import type { ReactNode } from "react";

export function StatTile({ label, value, testId, hint, accent = "text-zinc-900" }: { label: string; value: ReactNode; testId?: string; hint?: ReactNode; accent?: string }) {
  return (
    <div className="min-w-0 rounded-2xl bg-white px-5 py-4 break-words shadow-sm ring-1 ring-zinc-200">
      <dt className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd data-testid={testId} className={`mt-1 text-3xl font-bold tracking-tight tabular-nums ${accent}`}>
        {value}
      </dd>
      {hint && <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>}
    </div>
  );
}
