import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useId } from "react";
import { DataTable } from "../components/stats/data-table.js";
import { QueryState } from "../components/stats/query-state.js";
import { BASE_RATE_COLUMNS, LEADER_RATE_COLUMNS } from "../components/stats/rate-columns.js";
import { Section } from "../components/stats/section.js";
import { PageHeading } from "../components/ui.js";
import { metaQueries, metaSearchSchema, type MetaFilters } from "../lib/meta.js";
import { FORMATS, formatDateTime, formatLabel } from "../lib/stats.js";

/**
 * /meta (no sign-in): how every leader and base does across the players who link Karabast and
 * have not opted out, over a period and format kept in the URL.
 */
export const Route = createFileRoute("/meta")({
  validateSearch: metaSearchSchema,
  component: MetaPage,
});

const CONTROL =
  "mt-1 block w-full rounded-lg bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-zinc-900 focus:outline-none";

function MetaFiltersBar({ filters, onChange }: { filters: MetaFilters; onChange: (next: MetaFilters) => void }) {
  const id = useId();
  const set = (patch: Partial<MetaFilters>) => onChange({ ...filters, ...patch });
  const rangeInvalid = Boolean(filters.from && filters.to && filters.from > filters.to);
  return (
    <form role="search" aria-label="Filter the meta" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
      <div className="w-40">
        <label htmlFor={`${id}-format`} className="block text-xs font-medium text-zinc-600">
          Format
        </label>
        <select id={`${id}-format`} value={filters.format ?? ""} onChange={(e) => set({ format: (e.target.value || undefined) as MetaFilters["format"] })} className={CONTROL}>
          <option value="">All formats</option>
          {FORMATS.map((f) => (
            <option key={f} value={f}>
              {formatLabel(f)}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor={`${id}-from`} className="block text-xs font-medium text-zinc-600">
          From
        </label>
        <input id={`${id}-from`} type="date" value={filters.from ?? ""} max={filters.to} onChange={(e) => set({ from: e.target.value || undefined })} className={CONTROL} />
      </div>
      <div className="w-40">
        <label htmlFor={`${id}-to`} className="block text-xs font-medium text-zinc-600">
          To
        </label>
        <input
          id={`${id}-to`}
          type="date"
          value={filters.to ?? ""}
          min={filters.from}
          aria-invalid={rangeInvalid || undefined}
          onChange={(e) => set({ to: e.target.value || undefined })}
          className={CONTROL}
        />
      </div>
      {(filters.format || filters.from || filters.to) && (
        <button type="button" onClick={() => onChange({})} className="rounded-lg px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900">
          Clear filters
        </button>
      )}
      {rangeInvalid && (
        <p role="alert" className="w-full text-sm text-red-600">
          The “From” date is after the “To” date.
        </p>
      )}
    </form>
  );
}

function MetaPage() {
  const filters = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  // A range the wrong way round is the server's 400, shown in place of each table.
  const leaders = useQuery(metaQueries.leaders(filters));
  const bases = useQuery(metaQueries.bases(filters));
  const answer = leaders.data ?? bases.data;
  const minGames = answer?.minGames ?? 20;
  const empty = (what: string) => `No ${what} has ${minGames} games or more in this period and format yet.`;

  return (
    <div>
      <PageHeading
        title="Meta"
        description="How each leader and base does across every Swubase player who links Karabast, counted from each linked player’s side of the game."
      />
      <div className="mb-4">
        <MetaFiltersBar filters={filters} onChange={(next) => void navigate({ search: { format: next.format, from: next.from, to: next.to } })} />
      </div>
      <p className="mb-6 text-sm text-zinc-500" data-testid="meta-note">
        Only leaders and bases with at least {minGames} games are listed. Players can leave their games out in their settings. Updated every
        minute{answer?.refreshedAt ? `; last updated ${formatDateTime(answer.refreshedAt)}` : ""}.
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Leaders">
          <QueryState query={leaders} label="Loading the leaders…">
            {leaders.data && <DataTable label="Meta by leader" rows={leaders.data.items} columns={LEADER_RATE_COLUMNS} rowKey={(r) => r.leader.id} empty={empty("leader")} />}
          </QueryState>
        </Section>
        <Section title="Bases">
          <QueryState query={bases} label="Loading the bases…">
            {bases.data && <DataTable label="Meta by base" rows={bases.data.items} columns={BASE_RATE_COLUMNS} rowKey={(r) => r.base.id} empty={empty("base")} />}
          </QueryState>
        </Section>
      </div>
    </div>
  );
}
