/** POST /api/integration/link-deny (session, same origin): the user pressed Cancel. */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { readBody } from "../../middleware/read-body.js";
import { requireSameOrigin } from "../../middleware/same-origin.js";
import { requireUser } from "../../middleware/session.js";
import { idField, parseFields } from "../../schemas/integration-fields.js";

export const LinkDenyRequest = z.object({
  clientId: idField("clientId"),
  redirectUri: z.string().max(2000, "redirectUri is too long").optional(),
  state: z.string().max(2000, "state is too long").optional(),
  integration: z.string().max(50).optional(),
});

export const linkDenyRoute = new Hono<AppEnv>().post("/link-deny", requireSameOrigin(), requireUser(), readBody(), async (c) => {
  const input = parseFields(LinkDenyRequest, c.get("fields"));
  return c.json(await c.get("deps").services.links.denyLink({ ...input, userId: c.get("user").id, context: requestContext(c) }));
});
