/** Format and date-range filters; the page keeps them in its URL. */
import { useId } from "react";
import { FORMATS, formatLabel, hasFilters, type Format, type StatsFilters } from "../../lib/stats.js";

const CONTROL =
  "mt-1 block w-full rounded-lg bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-zinc-900 focus:outline-none";

export function StatsFiltersBar({ filters, onChange }: { filters: StatsFilters; onChange: (next: StatsFilters) => void }) {
  const id = useId();
  const set = (patch: Partial<StatsFilters>) => onChange({ ...filters, ...patch });
  const rangeInvalid = Boolean(filters.from && filters.to && filters.from > filters.to);

  return (
    <form role="search" aria-label="Filter statistics" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
      <div className="w-40">
        <label htmlFor={`${id}-format`} className="block text-xs font-medium text-zinc-600">
          Format
        </label>
        <select
          id={`${id}-format`}
          value={filters.format ?? ""}
          onChange={(e) => set({ format: (e.target.value || undefined) as Format | undefined })}
          className={CONTROL}
        >
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
        <input
          id={`${id}-from`}
          type="date"
          value={filters.from ?? ""}
          max={filters.to}
          onChange={(e) => set({ from: e.target.value || undefined })}
          className={CONTROL}
        />
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
      {hasFilters(filters) && (
        <button
          type="button"
          onClick={() => onChange({})}
          className="rounded-lg px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
        >
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
