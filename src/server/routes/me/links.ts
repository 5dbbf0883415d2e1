/** The signed-in user's own links and link events: GET /api/me/links, GET /api/me/events, DELETE /api/me/links/:id (same origin). */
import { Hono } from "hono";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { requireSameOrigin } from "../../middleware/same-origin.js";
import { requireUser } from "../../middleware/session.js";
import { badRequest } from "../../../domain/errors.js";

export const meLinksRoute = new Hono<AppEnv>()
  .use("*", requireUser())
  .get("/links", async (c) => {
    const links = await c.get("deps").services.links.listLinks(c.get("user").id);
    c.header("Cache-Control", "no-store");
    return c.json({ links });
  })
  .get("/events", async (c) => {
    const events = await c.get("deps").services.links.auditTrail(c.get("user").id);
    c.header("Cache-Control", "no-store");
    return c.json({ events });
  })
  .delete("/links/:id", requireSameOrigin(), async (c) => {
    const id = c.req.param("id");
    if (id.length > 100) throw badRequest("link id is too long");
    await c.get("deps").services.links.unlinkByUser(c.get("user").id, id, requestContext(c));
    return c.json({ success: true });
  });
