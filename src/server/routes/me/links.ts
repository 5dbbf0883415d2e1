/** The signed-in user's own links: GET /api/me/links, DELETE /api/me/links/:id (same origin). */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { requireSameOrigin } from "../../middleware/same-origin.js";
import { requireUser } from "../../middleware/session.js";
import { badRequest } from "../../../domain/errors.js";

export const meLinksRoute = new Hono<AppEnv>()
  .use("*", requireUser())
  .get("/links", async (c) => {
    const links = await c.var.deps.services.links.listLinks(c.var.user.id);
    c.header("Cache-Control", "no-store");
    return c.json({ links });
  })
  .delete("/links/:id", requireSameOrigin(), async (c) => {
    const id = c.req.param("id");
    if (id.length > 100) throw badRequest("link id is too long");
    await c.var.deps.services.links.unlinkByUser(c.var.user.id, id);
    return c.json({ success: true });
  });
