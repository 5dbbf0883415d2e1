/**
 * GET /api/integration/authorize?<the approval page's query>&integration=karabast
 * The approval page asks this before it shows anything. 200 describes the request; errors that
 * may go back to the partner carry `redirectTo`; the others (unknown client, unregistered
 * redirect URI) do not, and the page shows them instead (RFC 6749 §4.1.2.1).
 */
import { Hono } from "hono";
import { z } from "zod";
import { requestContext } from "../../request-context.js";
import type { AppEnv } from "../../app-env.js";
import { requireUser } from "../../middleware/session.js";
import { normaliseFields, parseFields } from "../../schemas/integration-fields.js";

const optionalText = (max: number, name: string) => z.string().max(max, `${name} is too long`).optional();

export const AuthorizeQuery = z.object({
  clientId: optionalText(200, "client_id"),
  redirectUri: optionalText(2000, "redirect_uri"),
  responseType: optionalText(50, "response_type"),
  scope: optionalText(1000, "scope"),
  externalUserId: optionalText(1000, "karabast_user_id"),
  state: optionalText(2000, "state"),
  integration: optionalText(50, "integration"),
  codeChallenge: optionalText(200, "code_challenge"),
  codeChallengeMethod: optionalText(20, "code_challenge_method"),
});

export const authorizeRoute = new Hono<AppEnv>().get("/authorize", requireUser(), async (c) => {
  const query = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  const input = parseFields(AuthorizeQuery, normaliseFields(query));
  c.header("Cache-Control", "no-store");
  return c.json(await c.get("deps").services.links.describeAuthorization(input, { userId: c.get("user").id, context: requestContext(c) }));
});
