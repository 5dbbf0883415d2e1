/**
 * Win rate over time: one point per ISO week (from /api/stats/weekly). Bars show the games of the
 * week (wins, draws and losses stacked, right axis), the line the week's win rate (wins ÷ games,
 * left axis). Wins, draws and losses differ by pattern as well as colour (solid, striped, dotted),
 * and the chart's data is there as text: a summary for screen readers and a table anyone can open.
 */
import { useId } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from "recharts";
import { formatInterval, formatPercent, formatRecord, formatWeek, isSmallSample, SMALL_SAMPLE, type Interval, type WeekRow } from "../../lib/stats.js";
import { usePrefersReducedMotion } from "../reduced-motion.js";
import { ChartData } from "./chart-data.js";
import type { Column } from "./data-table.js";

const LEGEND_ORDER: Record<string, number> = { wins: 0, draws: 1, losses: 2, winRate: 3 };

/** At least 3:1 against white (WCAG 1.4.11). */
const COLORS = { wins: "#059669", draws: "#d97706", losses: "#e11d48", rate: "#18181b", grid: "#e4e4e7", axis: "#71717a" };

const DATA_COLUMNS: Column<Point>[] = [
  { key: "week", header: "Week of", className: "whitespace-nowrap", cell: (p) => formatWeek(p.weekStart, true) },
  { key: "games", header: "Games", align: "right", cell: (p) => p.games },
  { key: "wins", header: "Won", align: "right", cell: (p) => p.wins },
  { key: "draws", header: "Drawn", align: "right", cell: (p) => p.draws },
  { key: "losses", header: "Lost", align: "right", cell: (p) => p.losses },
  {
    key: "rate",
    header: "Win rate (95 % interval)",
    align: "right",
    className: "whitespace-nowrap",
    cell: (p) => (p.games === 0 ? "—" : `${formatPercent(p.winRate)} (${formatInterval(p.winRateInterval)})`),
  },
];

/** Stripes for draws, dots for losses (wins are solid): told apart without colour. */
function Patterns({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={`${id}-draws`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={COLORS.draws} />
        <rect width="2" height="6" fill="#ffffff" fillOpacity="0.7" />
      </pattern>
      <pattern id={`${id}-losses`} width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" fill={COLORS.losses} />
        <circle cx="2.5" cy="2.5" r="1.1" fill="#ffffff" fillOpacity="0.8" />
      </pattern>
    </defs>
  );
}

interface Point {
  weekStart: string;
  label: string;
  wins: number;
  losses: number;
  draws: number;
  games: number;
  winRate: number | null;
  winRateInterval: Interval | null;
}

function WeekTooltip({ active, payload }: TooltipContentProps<TooltipValueType, string | number>) {
  const point = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-lg bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-zinc-200">
      <p className="font-semibold text-zinc-900">Week of {formatWeek(point.weekStart, true)}</p>
      {point.games === 0 ? (
        <p className="mt-1 text-zinc-500">No games</p>
      ) : (
        <>
          <p className="mt-1 text-zinc-700">
            Win rate <span className="font-semibold text-zinc-900">{formatPercent(point.winRate)}</span>{" "}
            <span className="text-zinc-500">
              (95% interval {formatInterval(point.winRateInterval)}, n = {point.games})
            </span>
          </p>
          {isSmallSample(point.games) && <p className="text-zinc-500 italic">Fewer than {SMALL_SAMPLE} games: too few to trust.</p>}
          <p className="text-zinc-600">
            {point.games} {point.games === 1 ? "game" : "games"} · <span className="text-emerald-700">{point.wins} W</span> ·{" "}
            <span className="text-rose-700">{point.losses} L</span> · <span className="text-amber-700">{point.draws} D</span>
          </p>
        </>
      )}
    </div>
  );
}

export function WeeklyChart({ weeks }: { weeks: WeekRow[] }) {
  const id = `weekly${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const reducedMotion = usePrefersReducedMotion();
  const data: Point[] = weeks.map((w) => ({
    weekStart: w.weekStart,
    label: formatWeek(w.weekStart),
    wins: w.wins,
    losses: w.losses,
    draws: w.draws,
    games: w.games,
    winRate: w.winRate,
    winRateInterval: w.winRateInterval,
  }));
  const maxGames = Math.max(1, ...data.map((d) => d.games));
  const played = data.filter((d) => d.games > 0);
  const summary =
    played.length === 0
      ? "No games in this period."
      : `Weekly win rate from the week of ${formatWeek(played[0]!.weekStart, true)} to the week of ${formatWeek(played.at(-1)!.weekStart, true)}: ` +
        played.map((d) => `${d.label} ${formatPercent(d.winRate)} (95% interval ${formatInterval(d.winRateInterval)}) of ${d.games} (${formatRecord(d)})`).join(", ") +
        ".";

  return (
    <figure data-testid="weekly-chart" className="px-2 pt-4 pb-2 sm:px-4">
      <figcaption className="sr-only">{summary}</figcaption>
      <div className="h-72 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {/* No accessibility layer: the chart is hidden from assistive technology (its data is in the caption and the table), so it must not take focus either. */}
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="28%" accessibilityLayer={false}>
            <Patterns id={id} />
            <CartesianGrid stroke={COLORS.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fill: COLORS.axis, fontSize: 12 }} tickLine={false} axisLine={{ stroke: COLORS.grid }} minTickGap={12} />
            <YAxis
              yAxisId="rate"
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
              tick={{ fill: COLORS.axis, fontSize: 12 }}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <YAxis
              yAxisId="games"
              orientation="right"
              allowDecimals={false}
              domain={[0, Math.max(4, Math.ceil(maxGames * 1.25))]}
              tick={{ fill: COLORS.axis, fontSize: 12 }}
              tickLine={false}
              axisLine={false}
              width={32}
            />
            <Tooltip content={WeekTooltip} cursor={{ fill: "rgba(24,24,27,0.04)" }} isAnimationActive={!reducedMotion} />
            <Legend
              iconType="circle"
              iconSize={8}
              wrapperStyle={{ fontSize: 12, paddingTop: 8 }}
              itemSorter={(item) => LEGEND_ORDER[String(item.dataKey)] ?? 9}
              formatter={(value: string) => <span className="text-zinc-700">{value}</span>}
            />
            <Bar yAxisId="games" dataKey="wins" name="Wins" stackId="games" fill={COLORS.wins} maxBarSize={36} isAnimationActive={false} />
            <Bar yAxisId="games" dataKey="draws" name="Draws" stackId="games" fill={`url(#${id}-draws)`} maxBarSize={36} isAnimationActive={false} />
            <Bar yAxisId="games" dataKey="losses" name="Losses" stackId="games" fill={`url(#${id}-losses)`} radius={[4, 4, 0, 0]} maxBarSize={36} isAnimationActive={false} />
            <Line
              yAxisId="rate"
              dataKey="winRate"
              name="Win rate"
              type="monotone"
              stroke={COLORS.rate}
              strokeWidth={2}
              dot={{ r: 3.5, fill: COLORS.rate, strokeWidth: 0 }}
              activeDot={{ r: 5 }}
              connectNulls
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartData label="Win rate per week" rows={data} columns={DATA_COLUMNS} rowKey={(p) => p.weekStart} />
    </figure>
  );
}
