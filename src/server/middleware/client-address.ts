/**
 * Resolves the client address once per request (src/server/client-address.ts: the TCP peer, or
 * behind a trusted proxy the right-most untrusted X-Forwarded-For hop) into `c.get("clientAddress")`.
 * Every per-address budget, the audit log and better-auth (through CLIENT_ADDRESS_HEADER, see
 * authRequest) use it.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import type { TrustedProxy } from "../../config.js";
import type { AppEnv } from "../app-env.js";
import { clientAddressResolver } from "../client-address.js";

export function resolveClientAddress(trustedProxies: readonly TrustedProxy[]): MiddlewareHandler<AppEnv> {
  const resolve = clientAddressResolver(trustedProxies);
  const readsForwarded = trustedProxies.length > 0;
  return async function clientAddress(c, next) {
    c.set("clientAddress", resolve(peerAddress(c), readsForwarded ? c.req.header("x-forwarded-for") : undefined));
    await next();
  };
}

function peerAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (e.g. app.request in tests)
  }
}
