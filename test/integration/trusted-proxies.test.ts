/**
 * TRUSTED_PROXIES (src/server/client-address.ts): behind a trusted reverse proxy every per-address
 * budget, the audit log and better-auth use the client address from X-Forwarded-For; from any
 * other peer X-Forwarded-For is ignored. Requests carry a TCP peer the way @hono/node-server
 * passes it (the `incoming` socket of app.request's env).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditRepository } from "../../src/repositories/audit-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { databaseKinds } from "../support/databases.js";
import { linkNewUser } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { buildTestApp, fromPeer, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const PROXY = "10.0.0.2";
const ATTACKER = "203.0.113.7";
const KARABAST = "198.51.100.20";

/** A JSON POST arriving from TCP peer `peer`, with an optional X-Forwarded-For. */
function post(t: TestApp, path: string, body: unknown, peer: string, forwardedFor?: string, headers: Record<string, string> = {}) {
  return t.app.request(
    path,
    {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "test", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}), ...headers },
      body: JSON.stringify(body),
    },
    fromPeer(peer),
  );
}

describe.each(databaseKinds)("client address behind trusted proxies (%s)", (kind) => {
  const suite = partnerSuite(kind);

  /** A linked Karabast user; returns the refresh token. */
  async function linked(t: TestApp, externalUserId: string): Promise<string> {
    return (await linkNewUser(t, suite.partner, { email: `${externalUserId}@example.com`, externalUserId })).tokens.refresh_token;
  }

  const badSecret = (t: TestApp, peer: string, forwardedFor?: string) =>
    post(t, "/api/integration/unlink", { client_id: "karabast", client_secret: "wrong", external_user_id: "x" }, peer, forwardedFor);
  const refreshVia = (t: TestApp, refreshToken: string, externalUserId: string, peer: string, forwardedFor?: string) =>
    post(t, "/api/integration/refresh-token", { client_id: suite.partner.clientId, client_secret: suite.partner.secret, refresh_token: refreshToken, external_user_id: externalUserId, integration: "karabast" }, peer, forwardedFor);

  it("11 bad client secrets from an attacker behind the proxy do not make Karabast's next refresh 429", async () => {
    const t = buildTestApp(suite.tdb.database, { env: { TRUSTED_PROXIES: "10.0.0.0/8" } });
    const refreshToken = await linked(t, "kb-proxied");
    for (let i = 0; i < 10; i++) expect((await badSecret(t, PROXY, ATTACKER)).status).toBe(401);
    expect((await badSecret(t, PROXY, ATTACKER)).status).toBe(429);
    // The attacker's own chosen left-most entry does not help him either: the proxy appended his address.
    expect((await badSecret(t, PROXY, `192.0.2.99, ${ATTACKER}`)).status).toBe(429);
    expect((await refreshVia(t, refreshToken, "kb-proxied", PROXY, KARABAST)).status).toBe(200);
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const t = buildTestApp(suite.tdb.database, { env: { TRUSTED_PROXIES: "10.0.0.0/8" } });
    for (let i = 0; i < 10; i++) expect((await badSecret(t, "192.0.2.50", `203.0.113.${i}`)).status).toBe(401);
    expect((await badSecret(t, "192.0.2.50", "203.0.113.200")).status).toBe(429);
    expect((await badSecret(t, "192.0.2.50")).status).toBe(429);
    // Without TRUSTED_PROXIES, even the proxy's X-Forwarded-For is ignored: all its callers are one address.
    const plain = buildTestApp(suite.tdb.database);
    for (let i = 0; i < 10; i++) expect((await badSecret(plain, PROXY, `203.0.113.${i}`)).status).toBe(401);
    expect((await badSecret(plain, PROXY, "198.51.100.1")).status).toBe(429);
  });

  it("matches an IPv4-mapped IPv6 peer against an IPv4 entry", async () => {
    const t = buildTestApp(suite.tdb.database, { env: { TRUSTED_PROXIES: PROXY } });
    for (let i = 0; i < 10; i++) expect((await badSecret(t, `::ffff:${PROXY}`, "203.0.113.77")).status).toBe(401);
    expect((await badSecret(t, `::ffff:${PROXY}`, "203.0.113.77")).status).toBe(429);
    expect((await badSecret(t, `::ffff:${PROXY}`, "203.0.113.78")).status).toBe(401);
  });

  it("records the forwarded address in the audit log", async () => {
    const t = buildTestApp(suite.tdb.database, { env: { TRUSTED_PROXIES: "10.0.0.0/8" } });
    await badSecret(t, PROXY, "203.0.113.150");
    const refreshToken = await linked(t, "kb-audited");
    expect((await refreshVia(t, refreshToken, "kb-audited", PROXY, `192.0.2.1, ${KARABAST}`)).status).toBe(200);
    const events = await auditRepository(suite.tdb.database.db).tail(50);
    expect(events.find((e) => e.event === "client_auth_failed" && e.ip === "203.0.113.150")).toBeDefined();
    expect(events.find((e) => e.event === "token_refreshed" && e.externalUserId === "kb-audited")?.ip).toBe(KARABAST);
  });

  it("gives better-auth the resolved address, never one the client sent", async () => {
    const t = buildTestApp(suite.tdb.database, { env: { TRUSTED_PROXIES: "10.0.0.0/8" } });
    const signUpVia = (email: string, peer: string, forwardedFor?: string) =>
      post(t, "/api/auth/sign-up/email", { email, password: "correct horse battery", name: "Proxied" }, peer, forwardedFor, { origin: TEST_ORIGIN, "x-swubase-client-address": "192.0.2.66" });
    expect((await signUpVia("via-proxy@example.com", PROXY, "203.0.113.9")).status).toBe(200);
    expect((await signUpVia("direct@example.com", "192.0.2.40", "203.0.113.9")).status).toBe(200);
    const rows = rowsOf<{ email: string; ip_address: string | null }>(
      await suite.tdb.database.db.execute(sql`select u.email, s.ip_address from session s join "user" u on u.id = s.user_id where u.email in ('via-proxy@example.com', 'direct@example.com') order by u.email`),
    );
    expect(rows).toEqual([
      { email: "direct@example.com", ip_address: "192.0.2.40" },
      { email: "via-proxy@example.com", ip_address: "203.0.113.9" },
    ]);
  });
});
