/**
 * Bench-only routes, mounted by bench/server.ts on top of the real app (never part of src/).
 *
 * Bare (`/bench/*`, outside the app's middleware, like a bare Hono endpoint):
 *  - GET  /bench/read/:id   read floor: one primary-key SELECT through the app's pool, small JSON back;
 *  - POST /bench/write      write floor: one single-row UPDATE … RETURNING by a unique indexed column;
 *  - POST /bench/refresh-token   the real rotation (token service) without the app's pipeline: body
 *    parsed by Hono, the client authenticated by the client service, no middleware (an experiment);
 *  - POST /bench/profile/start, /bench/profile/stop?name=…   V8 CPU profile of the server (inspector);
 *  - GET  /bench/memory, POST /bench/gc   memory usage (and a full GC when started with --expose-gc).
 *
 * Through the app's middleware (`/bench-api/*`, mounted with app.route, so request id, logging and
 * secure headers apply, then the same timeout, no-store, body and client-auth steps as the real routes):
 *  - POST /bench-api/reference/refresh-token   the deployed Swubase design re-created;
 *  - POST /bench-api/write   the write floor's UPDATE behind the partner routes' pipeline (an experiment).
 * (The earlier "no-audit" and "proposed" one-statement variants became the real routes.)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { invalidGrant } from "../src/domain/errors.js";
import { constantTimeEqual, generateToken, newTokenLocator } from "../src/domain/tokens/token-vault.js";
import { rowsOf } from "../src/repositories/rows.js";
import type { AppDeps, AppEnv } from "../src/server/app-env.js";
import { authenticateClient, checkIntegration } from "../src/server/middleware/client-auth.js";
import { noStore } from "../src/server/middleware/no-store.js";
import { readBody } from "../src/server/middleware/read-body.js";
import { requestTimeout } from "../src/server/middleware/request-timeout.js";
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
    .post("/refresh-token", async (c) => {
      const body = await c.req.json<{ client_id: string; client_secret: string; refresh_token: string; external_user_id: string }>();
      const client = await deps.services.clients.authenticate(body.client_id, body.client_secret);
      return c.json(await deps.services.tokens.rotateRefreshToken({ client, refreshToken: body.refresh_token, externalUserId: body.external_user_id }));
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

/** Routes that go through the app's middleware; mount with `app.route("/bench-api", …)`. */
export function appBenchRoutes(deps: AppDeps) {
  const { config, services, clock } = deps;
  const { db } = deps.database;
  const vault = services.vault;

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
    // Tokens of today's format (the deployed design's had no locator; the cost is the same).
    const locator = newTokenLocator();
    const access = generateToken("access", locator);
    const refreshToken = generateToken("refresh", locator);
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
   * The write floor's statement behind refresh-token's steps (the pipeline's cost, measured): the
   * same middleware and the same request parsing, the row's key sent as the refresh token.
   */
  const write = new Hono<AppEnv>().post("/", noStore(), readBody(), authenticateClient(), async (c) => {
    const input = parseFields(RefreshTokenRequest, c.var.fields);
    checkIntegration(c.var.client.integration, input.integration);
    const [row] = rowsOf<{ id: string; n: string }>(
      await db.execute(sql`update bench_floor set n = n + 1, touched_at = now() where key = ${Buffer.from(input.refreshToken, "hex")} returning id, n`),
    );
    return row ? c.json(row) : c.json({ error: "not_found" }, 404);
  });

  return new Hono<AppEnv>()
    .use("*", requestTimeout())
    .route("/reference", reference)
    .route("/write", write);
}
