/**
 * The text alternative of a chart (WCAG 1.1.1, 1.4.1): its data as a table, folded under the chart
 * in a <details> that anyone can open (sighted keyboard users too), announced with the chart.
 */
import { DataTable, type Column } from "./data-table.js";

export function ChartData<T>({ label, rows, columns, rowKey }: { label: string; rows: T[]; columns: Column<T>[]; rowKey: (row: T, index: number) => string }) {
  return (
    <details className="group mx-3 mt-2 mb-1 rounded-lg ring-1 ring-zinc-200 ring-inset sm:mx-2">
      <summary className="cursor-pointer rounded-lg px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-50">
        Show the data as a table
      </summary>
      <DataTable label={label} rows={rows} columns={columns} rowKey={rowKey} />
    </details>
  );
}
