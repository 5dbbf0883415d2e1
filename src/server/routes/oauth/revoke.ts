/**
 * POST /oauth/revoke (RFC 7009): the client revokes one of its tokens; the whole link goes with
 * it (§2.1 allows revoking related tokens). Unknown tokens and other clients' tokens answer 200
 * too (§2.2), so the endpoint tells nothing about tokens the caller does not own.
 */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { parseFields, tokenField } from "../../schemas/integration-fields.js";

export const RevokeRequest = z.object({ token: tokenField("token"), tokenTypeHint: z.string().max(50).optional() });

export const oauthRevokeRoute = new Hono<AppEnv>().post("/revoke", noStore(), readBody(), authenticateClient(), async (c) => {
  const input = parseFields(RevokeRequest, c.get("fields"));
  await c.get("deps").services.tokens.revokeToken({ client: c.get("client"), token: input.token, context: requestContext(c) });
  return c.json({});
});
