/**
 * Builds the HTTP application from its dependencies. Nothing here reads the environment or
 * opens connections, so tests build an app against any database with `createApp(deps)`.
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./app-env.js";
import { notFound, OAuthError } from "../domain/errors.js";
import { runPasswordWork } from "../auth/password-hashing.js";
import { admitPasswordWork } from "./middleware/password-admission.js";
import { abuseGuard } from "./middleware/abuse-guard.js";
import { accountLimits } from "./middleware/account-limits.js";
import { limitPublicNotFound } from "./middleware/public-not-found-limit.js";
import { authRequest, readAuthBody } from "./middleware/auth-body.js";
import { checkCallbackUrls } from "./middleware/auth-callback-url.js";
import { limitBody } from "./middleware/body-limit.js";
import { endOtherSessionsOnPasswordChange } from "./middleware/password-change.js";
import { resolveClientAddress } from "./middleware/client-address.js";
import { rejectUnsafeInput } from "./middleware/safe-input.js";
import { requestLogger } from "./middleware/request-logger.js";
import { requestMetrics } from "./middleware/request-metrics.js";
import { requestTimeout } from "./middleware/request-timeout.js";
import { renderError } from "./render-error.js";
import { demoKarabastRoutes } from "../demo/karabast/routes.js";
import { discoveryRoute } from "./routes/oauth/discovery.js";
import { oauthRoutes } from "./routes/oauth/index.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoute } from "./routes/metrics.js";
import { integrationRoutes } from "./routes/integration/index.js";
import { meLinksRoute } from "./routes/me/links.js";
import { meProfileRoute } from "./routes/me/profile.js";
import { meUncountedGamesRoute } from "./routes/me/uncounted-games.js";
import { openapiRoutes } from "./openapi/routes.js";
import { metaRoutes } from "./routes/meta/index.js";
import { publicStatsRoute } from "./routes/public/stats.js";
import { statsRoutes } from "./routes/stats/index.js";
import { webRoutes } from "./static-web.js";
import { GAME_RESULT_BODY_LIMIT } from "./routes/integration/game-result.js";

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  if (deps.metrics) app.use("*", requestMetrics(deps.metrics));
  app.use("*", requestId());
  app.use("*", async function provideDeps(c, next) {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLogger(deps.logger));
  app.use("*", resolveClientAddress(deps.config.trustedProxies));
  app.use("*", limitBody({ perPath: { "/api/integration/karabast/game-result": GAME_RESULT_BODY_LIMIT } }));
  app.use(
    "*",
    secureHeaders({
      xFrameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      strictTransportSecurity: deps.config.secureCookies ? "max-age=31536000; includeSubDomains" : false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'", "http:", "https:"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use("/api/*", requestTimeout({ ms: deps.config.requestTimeoutMs }));
  app.use("/oauth/*", requestTimeout({ ms: deps.config.requestTimeoutMs }));
  for (const path of ["/api/integration/*", "/api/me/*", "/api/stats/*", "/api/public/*", "/api/meta/*", "/oauth/*"]) app.use(path, rejectUnsafeInput(), abuseGuard());
  app.use("/api/public/*", limitPublicNotFound());
  app.use("/api/auth/*", admitPasswordWork(deps.auth.passwordHashing), readAuthBody(), rejectUnsafeInput({ checkJsonBody: true }), checkCallbackUrls(), accountLimits(), endOtherSessionsOnPasswordChange());
  app.on(["GET", "POST"], "/api/auth/*", (c) => runPasswordWork(c.get("requestSignal")(), () => deps.auth.handler(authRequest(c))));
  app.route("/api", healthRoutes());
  app.route("/api/integration", integrationRoutes());
  app.route("/api/me", meLinksRoute);
  app.route("/api/me", meUncountedGamesRoute);
  app.route("/api/me", meProfileRoute);
  app.route("/api/stats", statsRoutes());
  app.route("/api/public", publicStatsRoute);
  app.route("/api/meta", metaRoutes());
  app.route("/.well-known", discoveryRoute);
  app.route("/oauth", oauthRoutes());
  app.route("/api", openapiRoutes());
  app.all("/api/*", () => {
    throw notFound("No such API endpoint");
  });
  if (deps.metrics && deps.config.metricsToken) app.route("/", metricsRoute(deps.metrics, deps.config.metricsToken));

  // Development-only code lives in src/demo and is never mounted in production.
  if (deps.demo && !deps.config.isProduction) {
    app.route("/demo/karabast", demoKarabastRoutes({ demo: deps.demo, publicUrl: deps.config.publicUrl, fetchApi: (req) => Promise.resolve(app.fetch(req)) }));
  }

  if (deps.webRoot) app.route("/", webRoutes(deps.webRoot));

  app.notFound((c) => {
    const err = new OAuthError("not_found", "Not found", 404);
    return c.json(err.toJSON(), 404);
  });
  app.onError(renderError);
  return app;
}
