/** POST /api/integration/refresh-token: rotate a refresh token (with the grace and reuse rules). */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient, checkIntegration } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { idField, integrationField, parseFields, tokenField } from "../../schemas/integration-fields.js";

export const RefreshTokenRequest = z.object({
  refreshToken: tokenField("refreshToken"),
  externalUserId: idField("externalUserId"),
  integration: integrationField,
});

export const refreshTokenRoute = new Hono<AppEnv>().post("/refresh-token", noStore(), readBody(), authenticateClient(), async (c) => {
  const input = parseFields(RefreshTokenRequest, c.get("fields"));
  checkIntegration(c.get("client").integration, input.integration);
  const tokens = await c.get("deps").services.tokens.rotateRefreshToken({
    client: c.get("client"),
    refreshToken: input.refreshToken,
    externalUserId: input.externalUserId,
    context: requestContext(c),
  });
  return c.json(tokens);
});
