/** POST /api/integration/unlink: the partner ends a link from its side. Idempotent. */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient, checkIntegration } from "../../middleware/client-auth.js";
import { readBody } from "../../middleware/read-body.js";
import { idField, integrationField, parseFields } from "../../schemas/integration-fields.js";

export const UnlinkRequest = z.object({
  externalUserId: idField("externalUserId"),
  integration: integrationField,
});

export const unlinkRoute = new Hono<AppEnv>().post("/unlink", readBody(), authenticateClient(), async (c) => {
  const input = parseFields(UnlinkRequest, c.get("fields"));
  checkIntegration(c.get("client").integration, input.integration);
  const { unlinked } = await c.get("deps").services.links.unlinkByPartner(c.get("client"), input.externalUserId, requestContext(c));
  return c.json({ success: true, unlinked });
});
