/**
 * GET /metrics (METRICS_TOKEN): who may read it, and that the counters move with what they count:
 * refresh rotations, grace answers and reuse, games stored, duplicates and unattributed seats,
 * rate-limit refusals; request durations labelled by route pattern, never the raw path.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { karabastGameResultBody } from "../support/karabast-report.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { parseMetrics, sampleValue, type Sample } from "../support/metrics.js";
import { buildTestApp, fakeClock, signUp, type TestApp } from "../support/test-app.js";

const METRICS_TOKEN = randomBytes(32).toString("base64url");

describe.each(databaseKinds)("metrics (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };
  const clock = fakeClock();

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock, env: { METRICS_TOKEN } });
    partner = await registerPartner(t);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  async function scrape(app: TestApp = t): Promise<Sample[]> {
    const res = await app.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    return parseMetrics(await res.text());
  }

  /** How much `name{labels}` grew while `action` ran. */
  async function growth(name: string, labels: Record<string, string>, action: () => Promise<unknown>): Promise<number> {
    const before = sampleValue(await scrape(), name, labels);
    await action();
    return sampleValue(await scrape(), name, labels) - before;
  }

  async function linkedUser(externalUserId: string): Promise<TokenBody> {
    const { cookie } = await signUp(t.app, { email: `${externalUserId}@example.com` });
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId });
    const res = await confirm(t, partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    return (await res.json()) as TokenBody;
  }

  it("does not exist without METRICS_TOKEN, and keeps nothing", async () => {
    const off = buildTestApp(tdb.database);
    expect(off.deps.metrics).toBeNull();
    const res = await off.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
  });

  it("answers only the bearer of METRICS_TOKEN: 401 with a Bearer challenge otherwise", async () => {
    for (const authorization of [
      undefined,
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.slice(1)}`,
      `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}`,
      METRICS_TOKEN,
      "Bearer",
    ]) {
      const res = await t.app.request("/metrics", { headers: authorization === undefined ? {} : { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toMatchObject({ error: "invalid_token" });
    }
    const res = await t.app.request("/metrics", { headers: { authorization: `bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("process_resident_memory_bytes");
    // Labelled counters start at 0 for every known value, before their first event.
    for (const line of [
      'swubase_token_reuse_detections_total{kind="authorization_code"} 0',
      'swubase_game_seats_unattributed_total{reason="token_user_mismatch"} 0',
      'swubase_rate_limit_refusals_total{limiter="signUp"} 0',
    ])
      expect(text).toContain(line);
  });

  it("counts a refresh rotation, a grace answer and a reuse detection", async () => {
    const first = await linkedUser("kb-rotate");
    let second: TokenBody | undefined;
    expect(
      await growth("swubase_refresh_rotations_total", {}, async () => {
        const res = await refresh(t, partner, first.refresh_token, "kb-rotate");
        expect(res.status).toBe(200);
        second = (await res.json()) as TokenBody;
      }),
    ).toBe(1);
    expect(
      await growth("swubase_refresh_grace_answers_total", {}, async () => {
        const res = await refresh(t, partner, first.refresh_token, "kb-rotate"); // a concurrent refresh's retry
        expect(((await res.json()) as TokenBody).refresh_token).toBe(second!.refresh_token);
      }),
    ).toBe(1);
    clock.advance(121); // past REFRESH_GRACE_SECONDS: the old token is now a replay
    expect(
      await growth("swubase_token_reuse_detections_total", { kind: "refresh_token" }, async () => {
        expect((await refresh(t, partner, first.refresh_token, "kb-rotate")).status).toBe(400);
      }),
    ).toBe(1);
    const samples = await scrape();
    expect(sampleValue(samples, "http_request_duration_seconds_count", { method: "POST", route: "/api/integration/refresh-token", status: "200" })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(samples, "http_request_duration_seconds_count", { method: "POST", route: "/api/integration/refresh-token", status: "400" })).toBeGreaterThanOrEqual(1);
  });

  it("counts a stored game, its unattributed seat by reason, and a duplicate", async () => {
    const player = await linkedUser("kb-player");
    const body = karabastGameResultBody(partner, {
      gameId: `metrics-${randomBytes(4).toString("hex")}`,
      lobbyId: "lobby",
      winners: ["kb-player"],
      players: [
        { id: "kb-player", accessToken: player.access_token, deckLeader: { id: "SOR_005" }, base: { id: "SOR_021" } },
        { id: "kb-guest", accessToken: null, deckLeader: { id: "SOR_010" }, base: { id: "SOR_024" } },
      ],
    });
    const before = await scrape();
    const first = await postJson(t, "/api/integration/karabast/game-result", body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ success: true, players: [{ attributed: true }, { attributed: false, reason: "no_token" }] });
    const repeat = await postJson(t, "/api/integration/karabast/game-result", body);
    expect(await repeat.json()).toMatchObject({ success: true, duplicate: true });
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(grew("swubase_games_ingested_total")).toBe(1);
    expect(grew("swubase_games_duplicate_total")).toBe(1);
    expect(grew("swubase_game_seats_unattributed_total", { reason: "no_token" })).toBe(1);
    expect(grew("swubase_game_seats_unattributed_total", { reason: "invalid_token" })).toBe(0);
  });

  it("counts rate-limit refusals by limiter", async () => {
    // An app with a budget of 3 (counted in the database, where no other test of this file fails client authentication).
    const limited = buildTestApp(tdb.database, { env: { METRICS_TOKEN, RATE_LIMIT_FAILED_AUTH_PER_MINUTE: "3" } });
    const attempt = () => postJson(limited, "/api/integration/unlink", { client_id: partner.clientId, client_secret: "wrong", external_user_id: "x" });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(429);
    expect((await attempt()).status).toBe(429);
    const samples = await scrape(limited);
    expect(sampleValue(samples, "swubase_rate_limit_refusals_total", { limiter: "failedAuth" })).toBe(2);
    expect(sampleValue(samples, "http_request_duration_seconds_count", { method: "POST", route: "/api/integration/unlink", status: "429" })).toBe(2);
  });

  it("labels requests by the matched route pattern, never the raw path", async () => {
    const { cookie } = await signUp(t.app, { email: "route-label@example.com" });
    const secretish = `lnk${randomBytes(8).toString("hex")}`;
    expect((await t.app.request(`/api/me/links/${secretish}`, { method: "DELETE", headers: { cookie, origin: "http://localhost:3000" } })).status).toBe(404);
    expect((await t.app.request(`/api/no-such-${secretish}`)).status).toBe(404);
    expect((await t.app.request(`/nowhere/${secretish}?token=${secretish}`)).status).toBe(404);
    const res = await t.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    expect(text).not.toContain(secretish);
    const samples = parseMetrics(text);
    expect(sampleValue(samples, "http_request_duration_seconds_count", { method: "DELETE", route: "/api/me/links/:id", status: "404" })).toBe(1);
    expect(sampleValue(samples, "http_request_duration_seconds_count", { method: "GET", route: "/api/*", status: "404" })).toBeGreaterThanOrEqual(1);
    const routes = new Set(samples.filter((s) => s.name === "http_request_duration_seconds_count").map((s) => s.labels.route));
    for (const route of routes) expect(route, "a pattern registered with the app").toMatch(/^\/[\w\-./:*]*$/);
  });

  it("reports no database pool on PGlite, and the pool's connections on PostgreSQL", async () => {
    const samples = await scrape();
    const max = samples.filter((s) => s.name === "swubase_db_pool_max");
    if (kind === "pglite") {
      expect(max).toEqual([]);
      return;
    }
    expect(max).toEqual([{ name: "swubase_db_pool_max", labels: { pool: "primary" }, value: 10 }]);
    expect(sampleValue(samples, "swubase_db_pool_in_use", { pool: "primary" })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, "swubase_db_pool_waiting", { pool: "primary" })).toBe(0);
    // While a transaction holds a connection, it is in use.
    const held = tdb.database.db.transaction(async (tx) => {
      await tx.execute("select 1");
      const during = await scrape();
      expect(sampleValue(during, "swubase_db_pool_in_use", { pool: "primary" })).toBeGreaterThanOrEqual(1);
    });
    await held;
  });
});
