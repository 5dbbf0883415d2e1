/**
 * Format, date-range, leader, deck and best-of filters (or the ones a page names in `shown`); the
 * page keeps them in its URL. The leader and deck lists are the user's own, from the unfiltered
 * GET /api/stats/leaders and /decks, asked for only when those filters are shown.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { FORMATS, formatLabel, hasFilters, statsQueries, type DeckRow, type Format, type StatsFilters } from "../../lib/stats.js";

/** focus-within too: a date input's calendar button is focused inside the input, which then does not match :focus. */
const CONTROL =
  "mt-1 block w-full rounded-lg bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-zinc-900 focus:outline-none focus-within:ring-2 focus-within:ring-zinc-900";

const BEST_OF = [
  { id: "1", label: "Bo1 only" },
  { id: "3", label: "Bo3 only" },
];

/** One labelled select of the bar: "all" (the empty value) first, then the options. */
function FilterSelect(props: { id: string; label: string; all: string; value: string; options: { id: string; label: string }[]; onChange: (value: string) => void }) {
  return (
    <div className="w-40">
      <label htmlFor={props.id} className="block text-xs font-medium text-zinc-600">
        {props.label}
      </label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} className={CONTROL}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One labelled date input of the bar; `invalid` (the range is the wrong way round) points at the error `errorId`. */
function DateFilter(props: {
  id: string;
  label: string;
  value: string | undefined;
  min?: string | undefined;
  max?: string | undefined;
  invalid: boolean;
  errorId: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div className="w-40">
      <label htmlFor={props.id} className="block text-xs font-medium text-zinc-600">
        {props.label}
      </label>
      <input
        id={props.id}
        type="date"
        value={props.value ?? ""}
        min={props.min}
        max={props.max}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.invalid ? props.errorId : undefined}
        onChange={(e) => props.onChange(e.target.value || undefined)}
        className={CONTROL}
      />
    </div>
  );
}

export type StatsFilterName = "format" | "leader" | "deck" | "bo" | "dates";

const EVERY_FILTER: readonly StatsFilterName[] = ["format", "leader", "deck", "bo", "dates"];

export function StatsFiltersBar({
  filters,
  onChange,
  shown = EVERY_FILTER,
  label = "Filter statistics",
}: {
  filters: StatsFilters;
  onChange: (next: StatsFilters) => void;
  /** The filters the bar offers (always in the bar's own order); every one by default. */
  shown?: readonly StatsFilterName[];
  /** The search form's accessible name. */
  label?: string;
}) {
  const id = useId();
  const errorId = `${id}-range-error`;
  const set = (patch: Partial<StatsFilters>) => onChange({ ...filters, ...patch });
  const rangeInvalid = Boolean(filters.from && filters.to && filters.from > filters.to);
  const leaders = useQuery({ ...statsQueries.leaders({}), enabled: shown.includes("leader") }).data?.items ?? [];
  const decks = deckOptions(useQuery({ ...statsQueries.decks({}), enabled: shown.includes("deck") }).data?.items ?? []);
  // A filter from the URL that is not in the lists (yet) still shows as selected.
  const leaderOptions = leaders.map((l) => ({ id: l.leader.id, label: l.leader.subtitle ? `${l.leader.name}, ${l.leader.subtitle}` : l.leader.name }));
  const leader = filters.leader === undefined ? "" : String(filters.leader);
  const deck = filters.deck === undefined ? "" : String(filters.deck);
  if (leader && !leaderOptions.some((o) => o.id === leader)) leaderOptions.push({ id: leader, label: leader });
  if (deck && !decks.some((o) => o.id === deck)) decks.push({ id: deck, label: deck });

  return (
    <form role="search" aria-label={label} onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
      {shown.includes("format") && (
        <FilterSelect
          id={`${id}-format`}
          label="Format"
          all="All formats"
          value={filters.format ?? ""}
          options={FORMATS.map((f) => ({ id: f, label: formatLabel(f) }))}
          onChange={(v) => set({ format: (v || undefined) as Format | undefined })}
        />
      )}
      {shown.includes("leader") && (
        <FilterSelect id={`${id}-leader`} label="Leader" all="All leaders" value={leader} options={leaderOptions} onChange={(v) => set({ leader: v || undefined })} />
      )}
      {shown.includes("deck") && (
        <FilterSelect id={`${id}-deck`} label="Deck" all="All decks" value={deck} options={decks} onChange={(v) => set({ deck: v || undefined })} />
      )}
      {shown.includes("bo") && (
        <FilterSelect
          id={`${id}-bo`}
          label="Games"
          all="Bo1 and Bo3"
          value={filters.bo === undefined ? "" : String(filters.bo)}
          options={BEST_OF}
          onChange={(v) => set({ bo: v === "1" ? 1 : v === "3" ? 3 : undefined })}
        />
      )}
      {shown.includes("dates") && (
        <>
          <DateFilter id={`${id}-from`} label="From" value={filters.from} max={filters.to} invalid={rangeInvalid} errorId={errorId} onChange={(v) => set({ from: v })} />
          <DateFilter id={`${id}-to`} label="To" value={filters.to} min={filters.from} invalid={rangeInvalid} errorId={errorId} onChange={(v) => set({ to: v })} />
        </>
      )}
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
        <p id={errorId} role="alert" className="w-full text-sm text-red-700">
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
