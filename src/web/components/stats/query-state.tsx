/** Loading and error states around one stats query; the content renders once data is there. */
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "../../lib/api.js";
import { Spinner } from "../ui.js";

export function QueryState({ query, label = "Loading…", children }: { query: UseQueryResult<unknown>; label?: string; children: ReactNode }) {
  if (query.isPending) {
    return (
      <div role="status" className="flex items-center justify-center gap-3 px-5 py-10 text-sm text-zinc-500">
        <Spinner />
        {label}
      </div>
    );
  }
  if (query.isError) {
    return (
      <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-xl bg-red-50 px-5 py-4 text-sm text-red-800 ring-1 ring-red-200 ring-inset">
        <span>Couldn’t load this: {errorMessage(query.error)}</span>
        <button type="button" onClick={() => void query.refetch()} className="font-semibold underline underline-offset-2">
          Try again
        </button>
      </div>
    );
  }
  return <div className={query.isPlaceholderData ? "opacity-60 transition-opacity" : "transition-opacity"}>{children}</div>;
}
