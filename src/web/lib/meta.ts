/**
 * The meta across players (GET /api/meta/leaders and /bases, no sign-in): response types, query
 * options and the filters kept in the /meta URL (format, from, to).
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "./api.js";
import { FORMATS, type BaseRow, type LeaderRow } from "./stats.js";

export interface MetaAnswer<T> {
  items: T[];
  /** Rows with fewer games are not listed. */
  minGames: number;
  /** The meta's last refresh (null before the first). */
  refreshedAt: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z
  .string()
  .regex(DATE)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v))
  .optional()
  .catch(undefined);

/** The filters kept in the /meta URL; anything invalid is dropped rather than failing the page. */
export const metaSearchSchema = z.object({
  format: z.enum(FORMATS).optional().catch(undefined),
  from: isoDate,
  to: isoDate,
});
export type MetaFilters = z.infer<typeof metaSearchSchema>;

export function metaUrl(path: "leaders" | "bases", f: MetaFilters): string {
  const query = new URLSearchParams();
  if (f.format) query.set("format", f.format);
  if (f.from) query.set("from", f.from);
  if (f.to) query.set("to", f.to);
  const qs = query.toString();
  return `/api/meta/${path}${qs ? `?${qs}` : ""}`;
}

const metaQuery = <T>(path: "leaders" | "bases", f: MetaFilters) =>
  queryOptions({
    queryKey: ["meta", path, f.format ?? "", f.from ?? "", f.to ?? ""],
    queryFn: () => api.get<MetaAnswer<T>>(metaUrl(path, f)),
    placeholderData: keepPreviousData,
  });

export const metaQueries = {
  leaders: (f: MetaFilters) => metaQuery<LeaderRow>("leaders", f),
  bases: (f: MetaFilters) => metaQuery<BaseRow>("bases", f),
};
