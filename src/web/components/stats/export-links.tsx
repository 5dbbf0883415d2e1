/** "Download CSV" / "JSON": the game export (GET /api/stats/export) with the page's current filters. */
import { pickFilters, statsUrl, type StatsFilters } from "../../lib/stats.js";

const LINK = "rounded-lg px-3 py-1.5 text-sm font-medium ring-1 ring-zinc-300 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2";

export function ExportLinks({ filters }: { filters: StatsFilters }) {
  // The file type as `as`: `format` stays free for the game-format filter.
  const href = (as: "csv" | "json") => statsUrl("export", { as, ...pickFilters(filters) });
  return (
    <div className="flex gap-2" data-testid="stats-export">
      <a href={href("csv")} download className={`${LINK} text-zinc-900`} data-testid="export-csv">
        Download CSV
      </a>
      <a href={href("json")} download className={`${LINK} text-zinc-600`} data-testid="export-json" aria-label="Download JSON">
        JSON
      </a>
    </div>
  );
}
