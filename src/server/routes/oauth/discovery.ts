/** GET /.well-known/oauth-authorization-server (RFC 8414). */
import { Hono } from "hono";
import { SCOPE_CATALOGUE } from "../../../domain/clients/scopes.js";
import type { AppEnv } from "../../app-env.js";

export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    scopes_supported: Object.keys(SCOPE_CATALOGUE),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    authorization_response_iss_parameter_supported: true,
  };
}

export const discoveryRoute = new Hono<AppEnv>().get("/oauth-authorization-server", (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json(discoveryDocument(c.get("deps").config.publicUrl));
});
