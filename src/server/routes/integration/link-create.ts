/**
 * POST /api/integration/link-create (session cookie, same origin): the signed-in user approved.
 * Returns `{ linkToken, redirectTo }`; the page sends the browser to `redirectTo`. A session
 * older than 24 h gets 403 `reauthentication_required` (the page asks for the password again).
 */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { requireSameOrigin } from "../../middleware/same-origin.js";
import { requireUser } from "../../middleware/session.js";
import { idField, parseFields } from "../../schemas/integration-fields.js";

const text = (max: number, name: string) => z.string({ error: `${name} must be a string` }).max(max, `${name} is too long`);

export const LinkCreateRequest = z.object({
  clientId: idField("clientId"),
  externalUserId: text(1000, "externalUserId").optional(),
  scope: z.union([text(1000, "scopes"), z.array(text(100, "scopes")).max(50)]).optional(),
  integration: text(50, "integration").optional(),
  redirectUri: text(2000, "redirectUri").optional(),
  state: text(2000, "state").optional(),
  codeChallenge: text(200, "codeChallenge").optional(),
  codeChallengeMethod: text(20, "codeChallengeMethod").optional(),
  metadata: z
    .record(z.string(), z.unknown(), { error: "metadata must be an object" })
    .refine((m) => JSON.stringify(m).length <= 4096, "metadata is too large (at most 4 kB)")
    .optional(),
});

export const linkCreateRoute = new Hono<AppEnv>().post(
  "/link-create",
  noStore(),
  requireSameOrigin(),
  requireUser({ fresh: true }),
  readBody(),
  async (c) => {
    await c.get("deps").rateLimits?.consume("linkCreate", c.get("user").id);
    const input = parseFields(LinkCreateRequest, c.get("fields"));
    const result = await c.get("deps").services.links.createLink({ ...input, userId: c.get("user").id, context: requestContext(c) });
    return c.json(result);
  },
);
