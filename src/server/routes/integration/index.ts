import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { authorizeRoute } from "./authorize.js";
import { gameResultRoute } from "./game-result.js";
import { linkConfirmRoute } from "./link-confirm.js";
import { linkCreateRoute } from "./link-create.js";
import { linkDenyRoute } from "./link-deny.js";
import { refreshTokenRoute } from "./refresh-token.js";
import { unlinkRoute } from "./unlink.js";

/** Everything under /api/integration. */
export function integrationRoutes() {
  return new Hono<AppEnv>()
    .route("/", authorizeRoute)
    .route("/", linkCreateRoute)
    .route("/", linkDenyRoute)
    .route("/", linkConfirmRoute)
    .route("/", refreshTokenRoute)
    .route("/", unlinkRoute)
    .route("/", gameResultRoute);
}
