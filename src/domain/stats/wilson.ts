/**
 * How far to trust a win rate: the Wilson score interval for a binomial proportion (wins out of
 * games). Unlike the normal approximation it stays inside 0..1 and is honest about small samples:
 * 1 win in 1 game reads 21–100 %, not 100 ± 0 %. A draw is a game not won, so it counts in
 * `games` and not in `wins`, exactly as the win rate does.
 */

export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval (1.959964…, rounded as usually quoted). */
const Z_95 = 1.96;

/** The Wilson score interval of wins ÷ games, or null without games. */
export function wilsonInterval(wins: number, games: number, z = Z_95): Interval | null {
  if (!(games > 0)) return null;
  if (wins < 0 || wins > games) throw new RangeError(`wins must be between 0 and games (got ${wins} of ${games})`);
  const p = wins / games;
  const z2 = z * z;
  const denominator = 1 + z2 / games;
  const centre = (p + z2 / (2 * games)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / games + z2 / (4 * games * games));
  // Clamp the last bits of floating-point error (0 wins: centre − half is 0 up to rounding).
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
