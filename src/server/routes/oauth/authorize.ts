/**
 * GET /oauth/authorize: the standard entry to the same approval page as Karabast's
 * (/settings/link/{integration}), with the query passed through unchanged. The page validates
 * it; nothing is decided here, so an unknown client still gets the page's error (no redirect).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";

export const oauthAuthorizeRoute = new Hono<AppEnv>().get("/authorize", async (c) => {
  const url = new URL(c.req.url);
  const clientId = url.searchParams.get("client_id");
  const client = clientId && clientId.length <= 200 ? await c.get("deps").services.clients.find(clientId) : null;
  const integration = client?.integration ?? "oauth";
  return c.redirect(`/settings/link/${encodeURIComponent(integration)}${url.search}`, 302);
});
