import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { oauthAuthorizeRoute } from "./authorize.js";
import { oauthIntrospectRoute } from "./introspect.js";
import { oauthRevokeRoute } from "./revoke.js";
import { oauthTokenRoute } from "./token.js";
import { oauthUserinfoRoute } from "./userinfo.js";

/** The standard OAuth 2.0 front door, under /oauth. */
export function oauthRoutes() {
  return new Hono<AppEnv>()
    .route("/", oauthAuthorizeRoute)
    .route("/", oauthTokenRoute)
    .route("/", oauthRevokeRoute)
    .route("/", oauthIntrospectRoute)
    .route("/", oauthUserinfoRoute);
}
