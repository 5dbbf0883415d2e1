/**
 * Format, date-range, leader, deck and best-of filters; the page keeps them in its URL. The leader
 * and deck lists are the user's own, from the unfiltered GET /api/stats/leaders and /decks.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { FORMATS, formatLabel, hasFilters, statsQueries, type DeckRow, type Format, type StatsFilters } from "../../lib/stats.js";

const CONTROL =
  "mt-1 block w-full rounded-lg bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-zinc-900 focus:outline-none";

export function StatsFiltersBar({ filters, onChange }: { filters: StatsFilters; onChange: (next: StatsFilters) => void }) {
  const id = useId();
  const set = (patch: Partial<StatsFilters>) => onChange({ ...filters, ...patch });
  const rangeInvalid = Boolean(filters.from && filters.to && filters.from > filters.to);
  const leaders = useQuery(statsQueries.leaders({})).data?.items ?? [];
  const decks = deckOptions(useQuery(statsQueries.decks({})).data?.items ?? []);
  // A filter from the URL that is not in the lists (yet) still shows as selected.
  const leaderOptions = leaders.map((l) => ({ id: l.leader.id, label: l.leader.subtitle ? `${l.leader.name}, ${l.leader.subtitle}` : l.leader.name }));
  const leader = filters.leader === undefined ? "" : String(filters.leader);
  const deck = filters.deck === undefined ? "" : String(filters.deck);
  if (leader && !leaderOptions.some((o) => o.id === leader)) leaderOptions.push({ id: leader, label: leader });
  if (deck && !decks.some((o) => o.id === deck)) decks.push({ id: deck, label: deck });

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
        <label htmlFor={`${id}-leader`} className="block text-xs font-medium text-zinc-600">
          Leader
        </label>
        <select id={`${id}-leader`} value={leader} onChange={(e) => set({ leader: e.target.value || undefined })} className={CONTROL}>
          <option value="">All leaders</option>
          {leaderOptions.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor={`${id}-deck`} className="block text-xs font-medium text-zinc-600">
          Deck
        </label>
        <select id={`${id}-deck`} value={deck} onChange={(e) => set({ deck: e.target.value || undefined })} className={CONTROL}>
          <option value="">All decks</option>
          {decks.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor={`${id}-bo`} className="block text-xs font-medium text-zinc-600">
          Games
        </label>
        <select
          id={`${id}-bo`}
          value={filters.bo ?? ""}
          onChange={(e) => set({ bo: e.target.value === "1" ? 1 : e.target.value === "3" ? 3 : undefined })}
          className={CONTROL}
        >
          <option value="">Bo1 and Bo3</option>
          <option value="1">Bo1 only</option>
          <option value="3">Bo3 only</option>
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

/** One option per deck id (decks without a Swubase id cannot be filtered on; "unknown" groups Karabast's unlinked decks). */
function deckOptions(rows: DeckRow[]): { id: string; label: string }[] {
  const byId = new Map<string, string>();
  for (const r of rows) {
    if (r.deck.id === null || byId.has(r.deck.id)) continue;
    byId.set(r.deck.id, r.deck.id === "unknown" ? "Unlinked decks" : (r.deck.name ?? r.deck.id));
  }
  return [...byId].map(([id, label]) => ({ id, label }));
}
