/** Where a request came from, for the audit log: the client address (see middleware/client-address.ts) and the user agent. */
import type { Context } from "hono";
import type { RequestContext } from "../domain/audit/audit-log.js";
import type { AppEnv } from "./app-env.js";

export function requestContext(c: Context<AppEnv>): RequestContext {
  return { ip: c.get("clientAddress") ?? null, userAgent: c.req.header("user-agent") ?? null };
}
