/**
 * POST /api/integration/link-confirm: a partner exchanges a link token for the first token pair
 * (the same pair again when the player's browser loads the callback twice: `decideLinkTokenReuse`).
 */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient, checkIntegration } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { idField, integrationField, parseFields, tokenField } from "../../schemas/integration-fields.js";

export const LinkConfirmRequest = z.object({
  linkToken: tokenField("linkToken"),
  externalUserId: idField("externalUserId"),
  integration: integrationField,
  codeVerifier: z.string().max(200, "code_verifier is too long").optional(),
});

export const linkConfirmRoute = new Hono<AppEnv>().post("/link-confirm", noStore(), readBody(), authenticateClient(), async (c) => {
  const input = parseFields(LinkConfirmRequest, c.get("fields"));
  checkIntegration(c.get("client").integration, input.integration);
  const tokens = await c.get("deps").services.tokens.consumeLinkToken({
    client: c.get("client"),
    linkToken: input.linkToken,
    externalUserId: input.externalUserId,
    codeVerifier: input.codeVerifier ?? null,
    grant: "link_token",
    context: requestContext(c),
  });
  return c.json(tokens);
});
