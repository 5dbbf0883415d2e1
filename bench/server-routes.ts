/**
 * Bench-only routes, mounted by bench/server.ts on top of the real app (never part of src/).
 *
 * Bare (`/bench/*`, outside the app's middleware, like a bare Hono endpoint):
 *  - GET  /bench/read/:id   read floor: one primary-key SELECT through the app's pool, small JSON back;
 *  - POST /bench/write      write floor: one single-row UPDATE … RETURNING by a unique indexed column;
 *  - POST /bench/profile/start, /bench/profile/stop?name=…   V8 CPU profile of the server (inspector);
 *  - GET  /bench/memory, POST /bench/gc   memory usage (and a full GC when started with --expose-gc).
 *
 * Through the app's middleware (`/bench-api/*`, mounted with app.route, so request id, logging and
 * secure headers apply, then the same timeout, no-store, body and client-auth steps as the real routes):
 *  - POST /bench-api/reference/refresh-token   the deployed Swubase design re-created;
 *  - POST /bench-api/no-audit/{link-confirm,refresh-token}   the real routes with a token service
 *    that records no audit event (to measure what the audit INSERT costs);
 *  - POST /bench-api/proposed/refresh-token    a prototype of the proposed fix: rotation, retired
 *    digest and audit row in ONE statement (the audit written by a CTE);
 *  - POST /bench-api/proposed/link-confirm     the same for link-confirm: the activation transaction
 *    and the audit row as ONE statement.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AuditLog } from "../src/domain/audit/audit-log.js";
import { invalidGrant } from "../src/domain/errors.js";
import { createTokenService, type TokenService } from "../src/domain/tokens/token-service.js";
import { constantTimeEqual, generateToken } from "../src/domain/tokens/token-vault.js";
import { rowsOf } from "../src/repositories/rows.js";
import type { AppDeps, AppEnv } from "../src/server/app-env.js";
import { authenticateClient, checkIntegration } from "../src/server/middleware/client-auth.js";
import { noStore } from "../src/server/middleware/no-store.js";
import { readBody } from "../src/server/middleware/read-body.js";
import { requestTimeout } from "../src/server/middleware/request-timeout.js";
import { requestContext } from "../src/server/request-context.js";
import { LinkConfirmRequest } from "../src/server/routes/integration/link-confirm.js";
import { RefreshTokenRequest } from "../src/server/routes/integration/refresh-token.js";
import { parseFields } from "../src/server/schemas/integration-fields.js";

/** Floors and profiler control, outside the app. */
export function bareBenchRoutes(deps: AppDeps, options: { profileDir: string }) {
  const { db } = deps.database;
  let session: Session | null = null;
  return new Hono()
    .basePath("/bench")
    .get("/read/:id", async (c) => {
      const [row] = rowsOf<{ id: string; status: string; external_user_id: string }>(
        await db.execute(sql`select id, status, external_user_id from user_integration where id = ${c.req.param("id")}`),
      );
      return row ? c.json(row) : c.json({ error: "not_found" }, 404);
    })
    .post("/write", async (c) => {
      const { key } = await c.req.json<{ key: string }>();
      const [row] = rowsOf<{ id: string; n: string }>(
        await db.execute(sql`update bench_floor set n = n + 1, touched_at = now() where key = ${Buffer.from(key, "hex")} returning id, n`),
      );
      return row ? c.json(row) : c.json({ error: "not_found" }, 404);
    })
    .get("/memory", (c) => c.json({ ...process.memoryUsage(), heap: getHeapStatistics() }))
    .post("/gc", (c) => {
      (globalThis as { gc?: () => void }).gc?.();
      return c.json({ ...process.memoryUsage() });
    })
    .post("/profile/start", async (c) => {
      session ??= new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 500 });
      await session.post("Profiler.start");
      return c.json({ started: true });
    })
    .post("/profile/stop", async (c) => {
      if (!session) return c.json({ error: "not started" }, 400);
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      session = null;
      mkdirSync(options.profileDir, { recursive: true });
      const file = join(options.profileDir, `${(c.req.query("name") ?? "profile").replace(/[^\w.-]/g, "_")}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return c.json({ file });
    });
}

const NO_AUDIT = (audit: AuditLog): AuditLog => ({ ...audit, record: async () => {} });

/** Routes that go through the app's middleware; mount with `app.route("/bench-api", …)`. */
export function appBenchRoutes(deps: AppDeps) {
  const { config, services, clock } = deps;
  const { db } = deps.database;
  const vault = services.vault;
  const noAuditTokens = createTokenService({ issuer: config.publicUrl, audit: NO_AUDIT(services.audit), links: services.linkRepository, vault, tokens: config.tokens, clock });

  const linkConfirm = (tokens: TokenService) =>
    new Hono<AppEnv>().post("/link-confirm", noStore(), readBody(), authenticateClient(), async (c) => {
      const input = parseFields(LinkConfirmRequest, c.var.fields);
      checkIntegration(c.var.client.integration, input.integration);
      return c.json(
        await tokens.consumeLinkToken({ client: c.var.client, linkToken: input.linkToken, externalUserId: input.externalUserId, codeVerifier: input.codeVerifier ?? null, context: requestContext(c) }),
      );
    });
  const refresh = (tokens: TokenService) =>
    new Hono<AppEnv>().post("/refresh-token", noStore(), readBody(), authenticateClient(), async (c) => {
      const input = parseFields(RefreshTokenRequest, c.var.fields);
      checkIntegration(c.var.client.integration, input.integration);
      return c.json(await tokens.rotateRefreshToken({ client: c.var.client, refreshToken: input.refreshToken, externalUserId: input.externalUserId, context: requestContext(c) }));
    });

  /**
   * The deployed Swubase design (server/routes/integration/refresh-token/post.ts in the deployed
   * service), on our stack: tokens are stored only encrypted with a random IV, so they cannot be
   * indexed; the link is found by loading the partner user's rows, decrypting each stored refresh
   * token and comparing; then both new tokens are encrypted and written with a second statement.
   * Kept favourable to it: the rows are found through our (client, external user) index, and the
   * deployed per-call integration lookup (a third round trip) is left out.
   */
  const reference = new Hono<AppEnv>().post("/refresh-token", noStore(), readBody(), authenticateClient(), async (c) => {
    const input = parseFields(RefreshTokenRequest, c.var.fields);
    checkIntegration(c.var.client.integration, input.integration);
    const now = clock();
    const rows = rowsOf<{ id: string; scopes: string[]; refresh_token_ciphertext: string | null; refresh_token_expires_at: string | Date | null }>(
      await db.execute(sql`
        select id, scopes, refresh_token_ciphertext, refresh_token_expires_at from user_integration
        where client_id = ${c.var.client.clientId} and external_user_id = ${input.externalUserId} and status = 'active'`),
    );
    const link = rows.find((r) => r.refresh_token_ciphertext !== null && constantTimeEqual(vault.decrypt(r.refresh_token_ciphertext), input.refreshToken));
    if (!link || !link.refresh_token_expires_at || new Date(link.refresh_token_expires_at) <= now) throw invalidGrant("refresh token");
    const access = generateToken("access");
    const refreshToken = generateToken("refresh");
    const t = config.tokens;
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    await db.execute(sql`
      update user_integration set
        access_token_ciphertext = ${vault.encrypt(access)}, access_token_expires_at = ${at(t.accessTokenTtlSeconds)}::timestamptz,
        refresh_token_ciphertext = ${vault.encrypt(refreshToken)}, refresh_token_expires_at = ${at(t.refreshTokenTtlSeconds)}::timestamptz,
        last_used_at = ${now.toISOString()}::timestamptz
      where id = ${link.id}`);
    return c.json({
      access_token: access,
      refresh_token: refreshToken,
      token_type: "Bearer",
      expires_in: t.accessTokenTtlSeconds,
      refresh_token_expires_in: t.refreshTokenTtlSeconds,
      scope: link.scopes.join(" "),
    });
  });

  /**
   * The proposed fix for refresh, prototyped: the repository's rotation statement with the audit
   * row written by one more CTE, so a refresh is one round trip and one commit instead of two.
   * Anything but the fast path falls back to the real service (grace, reuse, errors).
   */
  const proposedRefresh = new Hono<AppEnv>().post("/refresh-token", noStore(), readBody(), authenticateClient(), async (c) => {
    const input = parseFields(RefreshTokenRequest, c.var.fields);
    checkIntegration(c.var.client.integration, input.integration);
    const now = clock();
    const digest = vault.digest(input.refreshToken);
    const pair = services.tokens.issueTokenPair(now);
    const s = pair.stored;
    const context = requestContext(c);
    const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
    const clientId = c.var.client.clientId;
    const [row] = rowsOf<{ scopes: string[] }>(
      await db.execute(sql`
        with rotated as (
          update user_integration set
            previous_refresh_token_digest = refresh_token_digest,
            previous_access_token_digest = access_token_digest,
            previous_access_token_expires_at = access_token_expires_at,
            access_token_digest = ${s.accessTokenDigest}, access_token_ciphertext = ${s.accessTokenCiphertext}, access_token_expires_at = ${ts(s.accessTokenExpiresAt)},
            refresh_token_digest = ${s.refreshTokenDigest}, refresh_token_ciphertext = ${s.refreshTokenCiphertext}, refresh_token_expires_at = ${ts(s.refreshTokenExpiresAt)},
            rotated_at = ${ts(now)}, last_used_at = ${ts(now)}
          where refresh_token_digest = ${digest} and client_id = ${clientId} and external_user_id = ${input.externalUserId}
            and status = 'active' and refresh_token_expires_at > ${ts(now)}
          returning id, user_id, external_user_id, scopes
        ), retired as (
          insert into retired_refresh_token (digest, link_id, retired_at) select ${digest}, id, ${ts(now)} from rotated on conflict do nothing
        ), audited as (
          insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent)
          select ${randomUUID()}, ${ts(now)}, 'token_refreshed', user_id, ${clientId}, external_user_id, id, ${context.ip?.slice(0, 100) ?? null}, ${context.userAgent?.slice(0, 300) ?? null}
          from rotated
        )
        select scopes from rotated`),
    );
    if (!row) return c.json(await services.tokens.rotateRefreshToken({ client: c.var.client, refreshToken: input.refreshToken, externalUserId: input.externalUserId, context }));
    return c.json({ ...pair.response, scope: row.scopes.join(" ") });
  });

  /**
   * The proposed fix for link-confirm, prototyped: the repository's transaction (BEGIN, SELECT …
   * FOR UPDATE, UPDATE older links, UPDATE the pending one, COMMIT) and the audit INSERT as ONE
   * statement: one round trip and one commit instead of six and two. The older links are revoked
   * before the activation is scanned (the activation reads `revoked` in an InitPlan), so the
   * one-active-link unique indexes see them revoked. Links with a PKCE challenge (OAuth door)
   * fall back to the real service.
   */
  const proposedLinkConfirm = new Hono<AppEnv>().post("/link-confirm", noStore(), readBody(), authenticateClient(), async (c) => {
    const input = parseFields(LinkConfirmRequest, c.var.fields);
    checkIntegration(c.var.client.integration, input.integration);
    const now = clock();
    const digest = vault.digest(input.linkToken);
    const pair = services.tokens.issueTokenPair(now);
    const s = pair.stored;
    const context = requestContext(c);
    const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
    const clientId = c.var.client.clientId;
    const [row] = rowsOf<{ scopes: string[] }>(
      await db.execute(sql`
        with pending as (
          select id, user_id, external_user_id from user_integration
          where link_token_digest = ${digest} and status = 'pending' and client_id = ${clientId} and external_user_id = ${input.externalUserId}
            and link_token_expires_at > ${ts(now)} and code_challenge is null
          for update
        ), revoked as (
          update user_integration u set status = 'revoked', revoked_at = ${ts(now)}, revoked_reason = 'replaced',
            link_token_digest = null, link_token_ciphertext = null, link_token_expires_at = null, access_token_digest = null, access_token_ciphertext = null,
            previous_access_token_digest = null, previous_access_token_expires_at = null, refresh_token_digest = null, refresh_token_ciphertext = null,
            previous_refresh_token_digest = null
          from pending p
          where u.client_id = ${clientId} and u.status = 'active' and (u.external_user_id = p.external_user_id or u.user_id = p.user_id)
          returning u.id
        ), activated as (
          update user_integration u set
            access_token_digest = ${s.accessTokenDigest}, access_token_ciphertext = ${s.accessTokenCiphertext}, access_token_expires_at = ${ts(s.accessTokenExpiresAt)},
            refresh_token_digest = ${s.refreshTokenDigest}, refresh_token_ciphertext = ${s.refreshTokenCiphertext}, refresh_token_expires_at = ${ts(s.refreshTokenExpiresAt)},
            status = 'active', link_token_digest = null, link_token_ciphertext = null, link_token_expires_at = null,
            used_link_token_digest = ${digest}, linked_at = ${ts(now)}, last_used_at = ${ts(now)}
          from pending p
          where u.id = p.id and (select count(*) from revoked) >= 0
          returning u.id, u.user_id, u.scopes
        ), audited as (
          insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent)
          select ${randomUUID()}, ${ts(now)}, 'link_confirmed', user_id, ${clientId}, ${input.externalUserId}, id, ${context.ip?.slice(0, 100) ?? null}, ${context.userAgent?.slice(0, 300) ?? null}
          from activated
        )
        select scopes from activated`),
    );
    if (!row)
      return c.json(
        await services.tokens.consumeLinkToken({ client: c.var.client, linkToken: input.linkToken, externalUserId: input.externalUserId, codeVerifier: input.codeVerifier ?? null, context }),
      );
    return c.json({ ...pair.response, scope: row.scopes.join(" ") });
  });

  return new Hono<AppEnv>()
    .use("*", requestTimeout())
    .route("/reference", reference)
    .route("/no-audit", linkConfirm(noAuditTokens))
    .route("/no-audit", refresh(noAuditTokens))
    .route("/proposed", proposedRefresh)
    .route("/proposed", proposedLinkConfirm);
}
