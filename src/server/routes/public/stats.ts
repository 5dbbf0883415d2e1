/**
 * GET /api/public/:handle/stats (no sign-in): the statistics a user made public, found by handle
 * in any case; 404 for an unknown handle and a private one alike. Never cached, so turning
 * public statistics off takes effect at once.
 */
import { Hono } from "hono";
import { notFound } from "../../../domain/errors.js";
import { HANDLE_MAX } from "../../../domain/profile/handle.js";
import type { AppEnv } from "../../app-env.js";
import { noStore } from "../../middleware/no-store.js";
import { paging } from "../stats/query.js";

export const publicStatsRoute = new Hono<AppEnv>().get("/:handle/stats", noStore(), async (c) => {
  const handle = c.req.param("handle");
  // No handle is longer: unknown, without asking the database.
  if (handle.length > HANDLE_MAX) throw notFound("No public statistics under this handle");
  return c.json(await c.get("deps").services.profiles.publicStats(handle, paging(c)));
});
