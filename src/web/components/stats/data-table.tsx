/**
 * A plain, accessible table for the stats pages. Columns with a `sort` key can be sorted by
 * clicking their header (descending first, as "most games" is what one usually wants); until
 * then the rows keep the order the server sent.
 */
import { useMemo, useState, type ReactNode } from "react";
import { ScrollRegion } from "../scroll-region.js";

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  sort?: (row: T) => number | string | null;
  align?: "left" | "right";
  /** Extra classes for the cells of this column (e.g. a width or `hidden sm:table-cell`). */
  className?: string;
}

type SortState = { key: string; dir: "asc" | "desc" } | null;

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

export function DataTable<T>({
  label,
  rows,
  columns,
  rowKey,
  empty = "Nothing to show for these filters.",
  testId,
}: {
  /** The table's accessible name. */
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T, index: number) => string;
  empty?: ReactNode;
  testId?: string;
}) {
  const [sort, setSort] = useState<SortState>(null);

  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    if (!sort || !column?.sort) return rows;
    const value = column.sort;
    const sign = sort.dir === "asc" ? 1 : -1;
    return rows
      .map((row, index) => ({ row, index }))
      .sort((a, b) => sign * compare(value(a.row), value(b.row)) || a.index - b.index)
      .map((x) => x.row);
  }, [rows, columns, sort]);

  function toggle(key: string) {
    setSort((s) => (s?.key !== key ? { key, dir: "desc" } : s.dir === "desc" ? { key, dir: "asc" } : null));
  }

  if (rows.length === 0) return <p className="px-5 py-8 text-center text-sm text-zinc-500">{empty}</p>;

  return (
    <ScrollRegion label={label}>
      <table aria-label={label} data-testid={testId} className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-zinc-100 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const align = c.align === "right" ? "text-right" : "text-left";
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                  className={`px-3 py-2.5 align-bottom font-semibold whitespace-nowrap first:pl-5 last:pr-5 ${align} ${c.className ?? ""}`}
                >
                  {c.sort ? (
                    <button
                      type="button"
                      onClick={() => toggle(c.key)}
                      className={`inline-flex items-end gap-1 uppercase hover:text-zinc-900 ${c.align === "right" ? "text-right" : "text-left"} ${active ? "text-zinc-900" : ""}`}
                    >
                      {c.header}
                      {active && <span aria-hidden="true">{sort.dir === "asc" ? "▲" : "▼"}</span>}
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {sorted.map((row, index) => (
            <tr key={rowKey(row, index)} className="hover:bg-zinc-50/80">
              {columns.map((c) => (
                <td key={c.key} className={`px-3 py-2.5 align-middle first:pl-5 last:pr-5 ${c.align === "right" ? "text-right tabular-nums" : ""} ${c.className ?? ""}`}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Prev / Next under a paged table. */
export function Pager({
  page,
  pageCount,
  total,
  noun,
  onPage,
  busy = false,
}: {
  page: number;
  pageCount: number;
  total: number;
  noun: string;
  onPage: (page: number) => void;
  busy?: boolean;
}) {
  if (total === 0) return null;
  return (
    <nav aria-label={`${noun} pages`} className="flex items-center justify-between gap-3 border-t border-zinc-100 px-5 py-3 text-sm">
      <p className="text-zinc-500" aria-live="polite">
        Page <span className="font-medium text-zinc-900">{page}</span> of {pageCount} · {total} {noun}
      </p>
      <div className="flex gap-2">
        <button
          type="button"
          onClick={() => onPage(page - 1)}
          disabled={page <= 1 || busy}
          className="rounded-lg px-3 py-1.5 font-medium whitespace-nowrap text-zinc-700 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-50"
        >
          ← Prev
        </button>
        <button
          type="button"
          onClick={() => onPage(page + 1)}
          disabled={page >= pageCount || busy}
          className="rounded-lg px-3 py-1.5 font-medium whitespace-nowrap text-zinc-700 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Next →
        </button>
      </div>
    </nav>
  );
}
