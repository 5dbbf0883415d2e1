import type { Auth, SessionUser } from "../auth/auth.js";
import type { Config } from "../config.js";
import type { DemoClient } from "../demo/karabast/demo-client.js";
import type { Client } from "../domain/clients/client-service.js";
import type { Services } from "../services.js";
import type { IntegrationFields } from "./schemas/integration-fields.js";
import type { AuthBody } from "./middleware/auth-body.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logger.js";
import type { RateLimits } from "./rate-limit/limiters.js";
import type { Metrics } from "./metrics/metrics.js";

/** A clock that tests can move. */
export type Clock = () => Date;

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  auth: Auth;
  services: Services;
  clock: Clock;
  /** Rate limits, or null when RATE_LIMITS=off. */
  rateLimits: RateLimits | null;
  /** Prometheus metrics, or null when METRICS_TOKEN is unset (nothing kept, no /metrics route). */
  metrics: Metrics | null;
  /** The development-only demo partner's registration, or null (always null in production). */
  demo: DemoClient | null;
  /** Folder with the built web app (index.html, assets/), or null to serve no pages. */
  webRoot: string | null;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    user: SessionUser;
    /** The request body (JSON or form), every spelling normalised to one name per concept. */
    fields: IntegrationFields;
    /** The partner authenticated by client-auth; handlers never see its secret. */
    client: Client;
    /** The client's address (behind TRUSTED_PROXIES: from X-Forwarded-For); null when unknown (app.request in tests). */
    clientAddress: string | null;
    /** Aborted when the client went away or the request timed out (503): work not yet started should not start (requestTimeout; /api/* and /oauth/*). */
    requestSignal: () => AbortSignal;
    /** The body of a better-auth request, read once by readAuthBody (POST only). */
    authBody?: AuthBody;
  };
}
