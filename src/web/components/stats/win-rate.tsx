/** Win rates and results: a percentage with its interval and sample size, a W–L–D record, and win/loss/draw badges. */
import { formatInterval, formatPercent, isSmallSample, SMALL_SAMPLE, type GameResult, type Interval } from "../../lib/stats.js";

/** Colour of a win rate: green above 55 %, red below 45 %, neutral between. */
function tone(rate: number | null): string {
  if (rate === null) return "bg-zinc-300";
  if (rate >= 0.55) return "bg-emerald-500";
  if (rate <= 0.45) return "bg-rose-500";
  return "bg-amber-400";
}

/** What a win rate rests on: the rate, its 95 % interval and how many games (or matches) it counts. */
export interface RateEvidence {
  winRate: number | null;
  winRateInterval: Interval | null;
  games: number;
}

/** "60% (95% interval 41%–77%, n = 20)", plus why it is dimmed when it rests on few games. */
function describeRate(r: RateEvidence, noun = "games"): string {
  if (r.winRate === null) return `No ${noun}`;
  const text = `Win rate ${formatPercent(r.winRate)} (95% interval ${formatInterval(r.winRateInterval)}, n = ${r.games} ${noun})`;
  return isSmallSample(r.games) ? `${text}. Fewer than ${SMALL_SAMPLE} ${noun}: too few to trust.` : text;
}

/** The 95 % interval as a band on a 0–100 % track, with a tick at the rate itself (faded when `dim`). */
function RangeBar({ rate, interval, dim }: { rate: number | null; interval: Interval | null; dim: boolean }) {
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  return (
    <span aria-hidden="true" data-testid="winrate-bar" className={`relative block h-1.5 w-16 rounded-full bg-zinc-100 ${dim ? "opacity-50" : ""}`}>
      {interval && (
        <span
          data-testid="winrate-range"
          className={`absolute inset-y-0 rounded-full opacity-40 ${tone(rate)}`}
          style={{ left: pct(interval.low), width: pct(Math.max(interval.high - interval.low, 0.01)) }}
        />
      )}
      {rate !== null && <span className="absolute -inset-y-0.5 w-0.5 -translate-x-1/2 rounded-full bg-zinc-900" style={{ left: pct(rate) }} />}
    </span>
  );
}

/**
 * A win rate with its 95 % Wilson interval and sample size: the percentage, a range bar, and
 * "41–77 % · n 20" under it (just the percentage and range when `compact`). Rates from fewer than
 * SMALL_SAMPLE games are dimmed (grey italic text that still meets AA contrast, a faded range bar),
 * say "few", and say why in their tooltip and to screen readers.
 */
export function WinRate({
  value,
  noun = "games",
  compact = false,
  tile = false,
  testId,
}: {
  value: RateEvidence;
  noun?: string;
  compact?: boolean;
  /** Big and left-aligned, for a StatTile; the range bar goes under the number. */
  tile?: boolean;
  testId?: string;
}) {
  const { winRate, winRateInterval, games } = value;
  const small = isSmallSample(games);
  const description = describeRate(value, noun);
  return (
    <span
      data-testid={testId ? `${testId}-evidence` : undefined}
      data-small-sample={small || undefined}
      title={description}
      className={`relative inline-flex flex-col gap-0.5 ${tile ? "items-start" : "items-end"}`}
    >
      <span aria-hidden="true" className={`inline-flex gap-2 ${tile ? "flex-col-reverse items-start" : "items-center"}`}>
        {!compact && <RangeBar rate={winRate} interval={winRateInterval} dim={small} />}
        <span data-testid={testId} className={`${tile ? "" : "min-w-12 text-right font-medium"} tabular-nums ${small ? "text-zinc-500 italic" : ""}`}>
          {formatPercent(winRate)}
        </span>
      </span>
      {winRateInterval && (
        <span aria-hidden="true" className="text-[11px] leading-none whitespace-nowrap text-zinc-500 tabular-nums">
          {formatInterval(winRateInterval)}
          {!compact && ` · n ${games}`}
          {small && " · few"}
        </span>
      )}
      <span className="sr-only">{description}</span>
    </span>
  );
}

/** Wins–losses–draws, coloured; reads "12–7–1" (formatRecord), the words in its tooltip. */
export function WinLossDraw({ record, testId }: { record: { wins: number; losses: number; draws: number }; testId?: string }) {
  const { wins, losses, draws } = record;
  return (
    <span data-testid={testId} title={`${wins} won, ${losses} lost, ${draws} drawn`} className="tabular-nums">
      <span className="text-emerald-700">{wins}</span>
      <span className="text-zinc-500">–</span>
      <span className="text-rose-700">{losses}</span>
      <span className="text-zinc-500">–</span>
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
