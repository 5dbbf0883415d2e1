/**
 * The meta case of `npm run bench:stats` (issue 14): BENCH_META_GAMES (1,000,000) games between
 * BENCH_META_PLAYERS (10,000) Swubase players, both seats attributed, seeded with generate_series
 * (no insert per game), 5 % of the players opted out; then the refresh job's backfill (timed), one
 * steady-state run, and the latency of GET /api/meta/leaders and /bases over HTTP.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/database.js";
import { rowsOf } from "../../src/repositories/rows.js";
import type { Services } from "../../src/services.js";

const LEADERS = [
  "9226435975", "2580909557", "0011262813", "0024560758", "0026166404", "0092239541", "2358113881", "2744523125", "3045538805", "3572356139",
  "4263394087", "4626028465", "5440730550", "5784497124", "6088773439", "6514927936", "7911083239", "8560666697", "9005139831", "9334480612",
];
const BASES = ["4301437393", "0450346170", "0119018087", "0121172430", "0344986336", "1029978899", "2429341052", "3280523224", "4028826022", "5335160564"];
const FORMATS = ["premier", "premier", "premier", "open", "eternal"];

const arr = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x}'`).join(",")}]`);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function metaCase(options: { db: Db; services: Services; base: string; games: number; players: number; calls: number }) {
  const { db, services, base, games, players, calls } = options;
  console.log(`\nmeta: ${games.toLocaleString("en")} games of ${players.toLocaleString("en")} players (both seats attributed), over 365 days`);
  let started = performance.now();
  await db.execute(sql`
    insert into "user" (id, name, email) select 'meta-user-' || p, 'Meta ' || p, 'meta-' || p || '@bench.example' from generate_series(1, ${players}) as p`);
  await db.execute(sql`
    insert into user_profile (user_id, meta_opt_out) select 'meta-user-' || p, true from generate_series(1, ${players}) as p where p % 20 = 0`);
  // Games in the order they finished (ids rise with time, as ingest gives them), one every 365 d / games.
  await db.execute(sql`
    insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
    select 'karabast', 'meta-' || i, null, (${arr(FORMATS)})[1 + i % 5],
           now() - interval '365 days' + i * (interval '365 days' / ${games}) - interval '25 minutes',
           now() - interval '365 days' + i * (interval '365 days' / ${games}), 6, 1
    from generate_series(1, ${games}) as i`);
  // Two distinct players per game; leaders and bases skewed (a popular few), results from a hash.
  await db.execute(sql`
    insert into game_seat (game_id, seat, external_user_id, user_id, link_id, attribution, leader, base, deck_id, deck_name, deck_source,
                           is_winner, result, finished_at, format, opponent_leader, opponent_base)
    select g.id, s.seat, 'kb-meta-' || p.n, 'meta-user-' || p.n, null, 'linked',
           (${arr(LEADERS)})[1 + floor(20 * power((abs(hashtext(g.game_id || s.seat)) % 1000) / 1000.0, 2))::int],
           (${arr(BASES)})[1 + abs(hashtext(g.game_id || 'b' || s.seat)) % 10],
           null, null, null,
           r.w = s.seat, case when r.w = 2 then 'draw' when r.w = s.seat then 'win' else 'loss' end, g.finished_at, g.format,
           (${arr(LEADERS)})[1 + (g.id + 1 - s.seat) % 20], (${arr(BASES)})[1 + (g.id + 1 - s.seat) % 10]
    from game g
    cross join (values (0::smallint), (1::smallint)) as s(seat)
    cross join lateral (select case when abs(hashtext(g.game_id)) % 50 = 0 then 2 else abs(hashtext(g.game_id)) % 2 end as w) r
    cross join lateral (select 1 + ((g.id * 7919 + s.seat * (1 + g.id % (${players} - 1))) % ${players}) as n) p
    where g.game_id like 'meta-%'`);
  await db.execute(sql`analyze`);
  console.log(`  seeded in ${ms(performance.now() - started)}`);

  // The backfill: what the first runs after the upgrade do (the migration counted every stored game as settled).
  await db.execute(sql`update meta_refresh set counted_up_to = 0, settled_up_to = (select max(id) from game), pending_up_to = (select max(id) from game), pending_since = null`);
  started = performance.now();
  let runs = 0;
  for (;;) {
    runs++;
    if (!(await services.metaRefresh.runOnce()).behind) break;
  }
  const backfill = performance.now() - started;
  const rows = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from meta_daily`))[0]?.n;
  console.log(`  backfill: ${runs} runs, ${ms(backfill)} (${ms(backfill / Math.ceil(games / 10_000))} per chunk of 10,000 games); meta_daily ${rows} rows`);
  started = performance.now();
  const steady = await services.metaRefresh.runOnce();
  console.log(`  a steady-state run (the newest chunk, not yet settled, rewritten again): ${steady.chunks} chunk(s) in ${ms(performance.now() - started)}`);

  const endpoints = ["leaders", "bases", "leaders?format=premier", `leaders?from=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}`, "bases?format=open&from=2000-01-01&to=9999-12-31"];
  console.log(`  API latency, ${calls} sequential calls each after 5 warm-up calls (target p50 < 200 ms):`);
  for (const path of endpoints) {
    const call = async () => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/meta/${path}`);
      if (res.status !== 200) throw new Error(`meta ${path}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { items: unknown[] };
      if (body.items.length === 0) throw new Error(`meta ${path}: no rows`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < calls; i++) times.push(await call());
    times.sort((a, b) => a - b);
    console.log(`    ${path.padEnd(48)} p50 ${ms(percentile(times, 50)).padStart(9)}   p99 ${ms(percentile(times, 99)).padStart(9)}`);
  }
}
