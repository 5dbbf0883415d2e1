/**
 * Partner authentication for every server-to-server call (RFC 6749 §2.3.1): HTTP Basic, or
 * client_id + client_secret in the body (either spelling). Using both with different ids is
 * refused. On success handlers read `c.get("client")`; they never see the secret. The secret is
 * checked before any per-address budget (a SHA-256 digest compare against a cached row): a partner
 * with valid credentials is subject only to its own per-partner budget, never to the failures of
 * others at its address (see abuse-guard).
 */
import type { MiddlewareHandler } from "hono";
import { INVALID_CLIENT_MESSAGE } from "../../domain/clients/client-service.js";
import { OAuthError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import { addressBucket } from "../client-address.js";
import { requestContext } from "../request-context.js";
import { isSafeText } from "../schemas/safe-text.js";

/** Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1). */
function parseBasic(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) throw new OAuthError("invalid_client", "Malformed Authorization header (expected Basic credentials)", 401, { "WWW-Authenticate": 'Basic realm="swubase"' });
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "Malformed Basic credentials", 401, { "WWW-Authenticate": 'Basic realm="swubase"' });
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  const credentials = { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  if (!isSafeText(credentials.clientId) || !isSafeText(credentials.secret))
    throw new OAuthError("invalid_client", "Malformed Basic credentials", 401, { "WWW-Authenticate": 'Basic realm="swubase"' });
  return credentials;
}

export function authenticateClient(): MiddlewareHandler<AppEnv> {
  return async function clientAuth(c, next) {
    const basic = parseBasic(c.req.header("authorization"));
    const { clientId: bodyId, clientSecret: bodySecret } = c.get("fields");
    let clientId: string;
    let secret: string;
    if (basic) {
      if (bodyId !== undefined && typeof bodyId !== "string" && typeof bodyId !== "number")
        throw new OAuthError("invalid_request", "client_id must be a string");
      if (bodyId !== undefined && String(bodyId) !== basic.clientId)
        throw new OAuthError("invalid_request", "client_id in the body differs from the Authorization header");
      ({ clientId, secret } = basic);
    } else {
      if (bodyId === undefined || bodySecret === undefined)
        throw new OAuthError("invalid_client", "Client authentication is required: client_id and client_secret, or HTTP Basic");
      if (typeof bodySecret !== "string" || (typeof bodyId !== "string" && typeof bodyId !== "number"))
        throw new OAuthError("invalid_client", INVALID_CLIENT_MESSAGE);
      clientId = String(bodyId);
      secret = bodySecret;
    }
    const headers: Record<string, string> = basic ? { "WWW-Authenticate": 'Basic realm="swubase"' } : {};
    try {
      c.set("client", await c.get("deps").services.clients.authenticate(clientId, secret));
    } catch (err) {
      if (err instanceof OAuthError) {
        // An address already over its failed-authentication budget gets 429 at once, with no audit
        // row: its failures cost nothing more. Valid credentials never reach this branch.
        c.get("deps").rateLimits?.assertNotBlocked("failedAuth", addressBucket(c.get("clientAddress")));
        await c.get("deps").services.audit.record({ event: "client_auth_failed", clientId, detail: basic ? "basic" : "body credentials" }, requestContext(c));
        throw new OAuthError(err.error, err.description, err.status, headers);
      }
      throw err;
    }
    // The partner's own budget: generous, per client, never shared with other partners.
    await c.get("deps").rateLimits?.consumePartner(c.get("client").clientId);
    await next();
  };
}

/** The `integration` field, when given, must name the authenticated client's integration. */
export function checkIntegration(expected: string, given: string | undefined) {
  if (given !== undefined && given !== expected)
    throw new OAuthError("invalid_request", `integration must be "${expected}" for this client`);
}
