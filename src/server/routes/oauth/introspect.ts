/** POST /oauth/introspect (RFC 7662), client-authenticated; a client only sees its own tokens. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import { authenticateClient } from "../../middleware/client-auth.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { parseFields, tokenField } from "../../schemas/integration-fields.js";

export const IntrospectRequest = z.object({ token: tokenField("token"), tokenTypeHint: z.string().max(50).optional() });

export const oauthIntrospectRoute = new Hono<AppEnv>().post("/introspect", noStore(), readBody(), authenticateClient(), async (c) => {
  const input = parseFields(IntrospectRequest, c.get("fields"));
  return c.json(await c.get("deps").services.tokens.introspect({ client: c.get("client"), token: input.token }));
});
