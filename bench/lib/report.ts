/** Markdown for the results: the table, the targets with pass/miss, and the evidence tables. */
import { cpus } from "node:os";
import type { LoadResult } from "./load.js";

/** The peer's rows: node-oidc-provider's refresh grant with its in-memory adapter and with our PostgreSQL adapter. */
export const PEER_MEMORY = "oidc-provider refresh (memory)";
export const PEER_POSTGRES = "oidc-provider refresh (postgres)";
const isPeer = (name: string) => name.startsWith("oidc-provider");

export interface Row {
  name: string;
  conns: number;
  result: LoadResult;
}

const f = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const ms = (n: number) => f(n, n < 10 ? 2 : 1);

export function machineLine(pgVersion: string): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}), Node ${process.version}, PostgreSQL ${pgVersion}, ${process.platform} ${process.arch}`;
}

function find(rows: Row[], name: string, conns: number): LoadResult | undefined {
  return rows.find((r) => r.name === name && r.conns === conns)?.result;
}

/** The results table with exactly the columns of issue 7. */
export function resultsTable(rows: Row[], base: Row[] = rows): string {
  const lines = [
    "| case | conns | req/s | p50 ms | p99 ms | × read floor | × write floor | × reference | RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const ratio = (floor: string) => {
      const b = find(base, floor, r.conns);
      return b ? f(r.result.rps / b.rps, 2) : "–";
    };
    lines.push(
      `| ${r.name} | ${r.conns} | ${f(r.result.rps, 0)} | ${ms(r.result.p50)} | ${ms(r.result.p99)} | ${ratio("read floor")} | ${ratio("write floor")} | ${ratio("reference")} | ${f(r.result.rssMb, 0)} |`,
    );
  }
  return lines.join("\n");
}

/** CPU and database work per successful request: the evidence behind the ratios. */
export function evidenceTable(rows: Row[]): string {
  const lines = [
    "| case | conns | server CPU ms/req | PostgreSQL CPU ms/req | machine CPU ms/req | transactions/req | rows written/req | WAL kB/req | WAL full-page images/req | blocks hit/req | blocks read/req | non-2xx |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { name, conns, result: r } of rows) {
    const d = r.db;
    lines.push(
      `| ${name} | ${conns} | ${f(r.cpu.server, 3)} | ${f(r.cpu.postgres, 3)} | ${f(r.cpu.machine, 3)} | ${d ? f(d.commits, 2) : "–"} | ${d ? f(d.tupInserted + d.tupUpdated, 2) : "–"} | ${d ? f(d.walBytes / 1024, 2) : "–"} | ${d ? f(d.walFpi, 3) : "–"} | ${d ? f(d.blksHit, 1) : "–"} | ${d ? f(d.blksRead, 2) : "–"} | ${r.failed} |`,
    );
  }
  return lines.join("\n");
}

export interface Target {
  what: string;
  value: string;
  pass: boolean | null;
}

export function targets(rows: Row[], conns: number): Target[] {
  const get = (n: string) => find(rows, n, conns);
  const wf = get("write floor");
  const ref = get("reference");
  const out: Target[] = [];
  const ratio = (n: string, base: LoadResult | undefined, baseName: string, min: number) => {
    const r = get(n);
    if (!r || !base) return out.push({ what: `${n} ≥ ${min} × ${baseName}`, value: "not measured", pass: null });
    const x = r.rps / base.rps;
    out.push({ what: `${n} ≥ ${min} × ${baseName} (${conns} conns)`, value: `${f(x, 2)} ×`, pass: x >= min });
  };
  ratio("refresh-token", wf, "write floor", 0.8);
  ratio("refresh-token", ref, "reference", 1.5);
  ratio("link-confirm", wf, "write floor", 0.8);
  ratio("link-confirm", ref, "reference", 1.5);
  ratio("game-result", wf, "write floor", 0.5); // issue 16 (was 0.3)
  // × oidc-provider: our rotation against the peer's, same machine, same run (issue 16).
  ratio("refresh-token", get(PEER_POSTGRES), PEER_POSTGRES, 1.5);
  ratio("refresh-token", get(PEER_MEMORY), PEER_MEMORY, 1.0);
  const g = get("game-result");
  out.push(g ? { what: `game-result ≥ 300 games/s (${conns} conns)`, value: `${f(g.rps, 0)} games/s`, pass: g.rps >= 300 } : { what: "game-result ≥ 300 games/s", value: "not measured", pass: null });
  const rt = get("refresh-token");
  if (rt && wf) out.push({ what: `refresh-token p99 ≤ 2 × write floor p99 (${conns} conns)`, value: `${ms(rt.p99)} ms vs ${ms(wf.p99)} ms (${f(rt.p99 / wf.p99, 2)} ×)`, pass: rt.p99 <= 2 * wf.p99 });
  const ours = rows.filter((r) => !isPeer(r.name));
  const rss = Math.max(...ours.map((r) => r.result.rssMb));
  out.push({ what: "server RSS ≤ 150 MB throughout (largest sample, every case)", value: ours.length ? `${f(rss, 0)} MB` : "not measured", pass: ours.length ? rss <= 150 : null });
  return out;
}

export function targetsTable(list: Target[]): string {
  return ["| target | measured | result |", "|---|---|---|", ...list.map((t) => `| ${t.what} | ${t.value} | ${t.pass === null ? "–" : t.pass ? "pass" : "**miss**"} |`)].join("\n");
}
