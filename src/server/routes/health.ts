import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";

/** GET /api/health: the process is up. GET /api/ready: the database answers (else 503). */
export function healthRoutes() {
  return new Hono<AppEnv>()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      try {
        await c.get("deps").database.ping(2000);
        return c.json({ status: "ready" });
      } catch {
        return c.json({ error: "temporarily_unavailable", error_description: "The database is not answering" }, 503);
      }
    });
}
