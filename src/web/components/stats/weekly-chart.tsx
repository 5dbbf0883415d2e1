/**
 * Win rate over time: one point per ISO week (from /api/stats/weekly). Bars show the games of the
 * week (wins, draws and losses stacked, right axis), the line the week's win rate (wins ÷ games,
 * left axis).
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from "recharts";
import { formatInterval, formatPercent, formatRecord, formatWeek, isSmallSample, SMALL_SAMPLE, type Interval, type WeekRow } from "../../lib/stats.js";

const LEGEND_ORDER: Record<string, number> = { wins: 0, draws: 1, losses: 2, winRate: 3 };

const COLORS = { wins: "#10b981", draws: "#fbbf24", losses: "#fb7185", rate: "#18181b", grid: "#e4e4e7", axis: "#71717a" };

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
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap="28%">
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
            <Tooltip content={WeekTooltip} cursor={{ fill: "rgba(24,24,27,0.04)" }} />
            <Legend
              iconType="circle"
              iconSize={8}
              wrapperStyle={{ fontSize: 12, paddingTop: 8 }}
              itemSorter={(item) => LEGEND_ORDER[String(item.dataKey)] ?? 9}
            />
            <Bar yAxisId="games" dataKey="wins" name="Wins" stackId="games" fill={COLORS.wins} maxBarSize={36} isAnimationActive={false} />
            <Bar yAxisId="games" dataKey="draws" name="Draws" stackId="games" fill={COLORS.draws} maxBarSize={36} isAnimationActive={false} />
            <Bar yAxisId="games" dataKey="losses" name="Losses" stackId="games" fill={COLORS.losses} radius={[4, 4, 0, 0]} maxBarSize={36} isAnimationActive={false} />
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
    </figure>
  );
}
