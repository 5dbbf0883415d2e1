/**
 * The meta across players (GET /api/meta/leaders and /bases, no sign-in): query options (the
 * answers' types are the server's, src/server/api-types.ts) and the filters kept in the /meta URL
 * (format, from, to).
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import type { MetaBases, MetaLeaders } from "../../server/api-types.js";
import { api } from "./api.js";
import { FORMATS } from "./stats.js";

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

/** The answer lists rows with at least `minGames` games; `refreshedAt` is the meta's last refresh (null before the first). */
const metaQuery = <T extends MetaLeaders | MetaBases>(path: "leaders" | "bases", f: MetaFilters) =>
  queryOptions({
    queryKey: ["meta", path, f.format ?? "", f.from ?? "", f.to ?? ""],
    queryFn: () => api.get<T>(metaUrl(path, f)),
    placeholderData: keepPreviousData,
  });

export const metaQueries = {
  leaders: (f: MetaFilters) => metaQuery<MetaLeaders>("leaders", f),
  bases: (f: MetaFilters) => metaQuery<MetaBases>("bases", f),
};
