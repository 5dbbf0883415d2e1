/** Where a request came from, for the audit log: the peer address and the user agent. */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { RequestContext } from "../domain/audit/audit-log.js";

export function requestContext(c: Context): RequestContext {
  return { ip: peerAddress(c), userAgent: c.req.header("user-agent") ?? null };
}

function peerAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (e.g. app.request in tests)
  }
}
