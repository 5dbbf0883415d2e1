/** The 1M / 1k section of latest.md, from the last `npm run bench:scale` (bench/results/scale.json). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export interface ScaleSummary {
  date: string;
  machine: string;
  conns: number;
  sizes: { links: number; refresh: { rps: number; p50: number; p99: number }; game: { rps: number; p50: number; p99: number } }[];
  ratio: { refresh: number; game: number };
}

const BEGIN = "<!-- scale -->";
const END = "<!-- /scale -->";

export function scaleSection(jsonFile: string): string {
  let body = "Not measured yet: run `npm run bench:scale`.";
  if (existsSync(jsonFile)) {
    const s = JSON.parse(readFileSync(jsonFile, "utf8")) as ScaleSummary;
    const pass = (x: number) => (x <= 1.3 ? "pass" : "**miss**");
    body = [
      `From \`npm run bench:scale\` (${s.date}, ${s.machine}), ${s.conns} connections, p50 after a warm-up that touches the working set:`,
      "",
      "| active links | refresh-token p50 ms | game-result p50 ms | refresh-token req/s | game-result req/s |",
      "|---:|---:|---:|---:|---:|",
      ...s.sizes.map((z) => `| ${z.links.toLocaleString("en-US")} | ${z.refresh.p50.toFixed(2)} | ${z.game.p50.toFixed(2)} | ${z.refresh.rps.toFixed(0)} | ${z.game.rps.toFixed(0)} |`),
      "",
      "| target | measured | result |",
      "|---|---|---|",
      `| refresh-token p50 1M / 1k ≤ 1.3 | ${s.ratio.refresh.toFixed(2)} | ${pass(s.ratio.refresh)} |`,
      `| game-result p50 1M / 1k ≤ 1.3 | ${s.ratio.game.toFixed(2)} | ${pass(s.ratio.game)} |`,
    ].join("\n");
  }
  return `${BEGIN}\n## Scale: 1,000 and 1,000,000 active links\n\n${body}\n${END}`;
}

/** Replaces the scale section of an existing results file (bench:scale runs after bench). */
export function updateScaleSection(markdownFile: string, jsonFile: string): boolean {
  if (!existsSync(markdownFile)) return false;
  const md = readFileSync(markdownFile, "utf8");
  const a = md.indexOf(BEGIN);
  const b = md.indexOf(END);
  if (a < 0 || b < a) return false;
  writeFileSync(markdownFile, md.slice(0, a) + scaleSection(jsonFile) + md.slice(b + END.length));
  return true;
}
