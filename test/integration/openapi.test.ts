/**
 * The OpenAPI document (/api/openapi.json) and the docs page (/api/docs). The key test compares
 * the document with the routes the app really registers (Hono's `app.routes`): a route added
 * without a registry entry (src/server/openapi/registry.ts) fails here, and so does an entry for
 * a route that no longer exists.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { createMetrics } from "../../src/server/metrics/metrics.js";
import { OPENAPI_VERSION, type OpenApiDocument } from "../../src/server/openapi/document.js";
import { ROUTES, UNDOCUMENTED, type JsonSchema } from "../../src/server/openapi/registry.js";
import { normaliseFields } from "../../src/server/schemas/integration-fields.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Registered routes that are not part of the documented API, and why. Everything else the app
 * registers must be in the document.
 */
const EXCLUDED: { why: string; matches: (route: { method: string; path: string }) => boolean }[] = [
  { why: "middleware (app.use) and catch-alls such as the /api/* 404", matches: (r) => r.method === "ALL" && r.path.includes("*") },
  ...UNDOCUMENTED.map((u) => ({ why: u.reason, matches: (r: { path: string }) => r.path === u.path })),
  { why: "the development-only demo partner (never mounted in production)", matches: (r) => r.path === "/demo" || r.path.startsWith("/demo/") },
  { why: "the static web app: index.html for client-side routes, and its assets", matches: (r) => r.path === "/*" || r.path.startsWith("/assets/") },
];

/** Hono path → OpenAPI path: `/api/me/links/:id` → `/api/me/links/{id}` (a `{regex}` constraint is dropped). */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");

describe("OpenAPI document", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let doc: OpenApiDocument;
  let webRoot: string;

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    webRoot = mkdtempSync(join(tmpdir(), "swl-openapi-"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>app</title>");
    const res = await t.app.request("/api/openapi.json");
    expect(res.status, await res.clone().text()).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await tdb?.drop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, op]) => ({ path, method, op })),
    );

  const resolve = (pointer: string): unknown => {
    expect(pointer.startsWith("#/"), `${pointer} is not a local reference`).toBe(true);
    return pointer
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc);
  };

  const requestSchema = (path: string, method: string): JsonSchema => {
    const body = doc.paths[path]?.[method]?.requestBody;
    expect(body, `${method} ${path} has a request body`).toBeDefined();
    const schema = body!.content["application/json"]!.schema;
    return (schema.$ref ? resolve(schema.$ref as string) : schema) as JsonSchema;
  };

  it("is served as OpenAPI 3.1, cached for five minutes", async () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(OPENAPI_VERSION).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers).toEqual([{ url: TEST_ORIGIN }]);
    const res = await t.app.request("/api/openapi.json");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("is structurally sane: operations with responses, path parameters declared, unique operationIds, every $ref resolves", () => {
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith("/"), path).toBe(true);
      const methods = Object.keys(item);
      expect(methods.length, `${path} has operations`).toBeGreaterThan(0);
      for (const method of methods) {
        expect(HTTP_METHODS, `${path}: ${method}`).toContain(method);
        const op = item[method]!;
        expect(Object.keys(op.responses).length, `${method} ${path} has responses`).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status, `${method} ${path}`).toMatch(/^[1-5]\d\d$/);
          expect(typeof response.description, `${method} ${path} ${status} has a description`).toBe("string");
        }
        for (const status of Object.keys(op.responses).filter((s) => Number(s) >= 400)) {
          expect(["400", "401", "403", "404", "409", "413", "415", "503"], `${method} ${path}`).toContain(status);
        }
        expect(ids.has(op.operationId), `operationId ${op.operationId} is unique`).toBe(false);
        ids.add(op.operationId);
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect(declared.sort(), `${method} ${path} declares its path parameters`).toEqual(templated.sort());
        for (const scheme of op.security.flatMap((s) => Object.keys(s))) expect(doc.components.securitySchemes, scheme).toHaveProperty(scheme);
      }
    }
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object")
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string") refs.push(value);
          else walk(value);
        }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(resolve(r), `${r} resolves`).toBeDefined();
  });

  it("documents every route the app registers, and nothing else", () => {
    // Mount everything optional too (static web app, demo partner) so the exclusions are exercised.
    const app = createApp({
      ...t.deps,
      webRoot,
      demo: { clientId: "karabast-demo", secret: "swbs_demo", redirectUri: `${TEST_ORIGIN}/demo/karabast/callback` },
      config: { ...t.deps.config, metricsToken: "metrics-token-of-the-openapi-test-0123" },
      metrics: createMetrics({ poolStats: () => [] }),
    });
    const registered = new Map<string, { method: string; path: string }>();
    const excluded = new Set<string>();
    for (const r of app.routes) {
      const rule = EXCLUDED.find((e) => e.matches(r));
      if (rule) {
        excluded.add(rule.why);
        continue;
      }
      const key = `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`;
      registered.set(key, { method: r.method, path: r.path });
    }
    // Every exclusion is in use (a stale one would hide nothing and should go).
    expect([...excluded].sort()).toEqual(EXCLUDED.map((e) => e.why).sort());
    expect(registered.size).toBeGreaterThan(25);

    const documented = new Set(operations().map(({ path, method }) => `${method} ${path}`));
    const undocumented = [...registered.keys()].filter((k) => !documented.has(k));
    expect(undocumented, "registered routes missing from src/server/openapi/registry.ts").toEqual([]);
    const stale = [...documented].filter((k) => !registered.has(k));
    expect(stale, "documented routes the app does not register").toEqual([]);
  });

  it("documents link-confirm in the deployed client's spelling, with the other spellings", () => {
    const schema = requestSchema("/api/integration/link-confirm", "post");
    const properties = schema.properties as Record<string, JsonSchema>;
    for (const name of ["link_token", "external_user_id", "client_id", "client_secret"]) expect(properties, name).toHaveProperty(name);
    expect(properties).not.toHaveProperty("linkToken");
    expect(schema.required).toEqual(expect.arrayContaining(["link_token", "external_user_id"]));
    expect(properties.link_token!.description).toContain("linkToken");
    expect(properties.link_token!["x-aliases"]).toEqual(["linkToken", "code"]);
    expect(properties.external_user_id!.description).toContain("karabastUserId");
    expect(properties.client_id!.description).toContain("clientId");
    expect(properties.client_secret!.description).toContain("clientSecret");
    const body = doc.paths["/api/integration/link-confirm"]!.post!.requestBody!;
    expect(Object.keys(body.content).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    const ok = doc.paths["/api/integration/link-confirm"]!.post!.responses["200"] as { content: Record<string, { schema: JsonSchema }> };
    expect(ok.content["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/TokenResponse" });
    const token = doc.components.schemas.TokenResponse!;
    expect(Object.keys(token.properties as object).sort()).toEqual(["access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope", "token_type"]);
    const error = doc.components.schemas.Error!;
    expect(error.required).toEqual(["error", "error_description"]);
  });

  it("names only fields the service reads, each under a spelling normaliseFields accepts", () => {
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      if (name === "Error" || name === "TokenResponse") continue;
      for (const [wire, property] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
        for (const spelling of [wire, ...((property["x-aliases"] as string[] | undefined) ?? [])]) {
          expect(Object.keys(normaliseFields({ [spelling]: "x" })), `${name}.${spelling}`).toHaveLength(1);
        }
      }
    }
  });

  it("gives request examples the route's own schema accepts", () => {
    for (const route of ROUTES) {
      for (const variant of route.body?.variants ?? []) {
        const result = variant.schema.safeParse(normaliseFields(variant.example));
        expect(result.success, `${route.id} ${variant.name}: ${result.error?.issues[0]?.message}`).toBe(true);
      }
    }
  });

  it("gives every JSON answer an example", () => {
    for (const { path, method, op } of operations()) {
      if (path === "/api/openapi.json" || path === "/oauth/authorize" || path === "/api/docs") continue;
      const media = (op.responses["200"] as { content?: Record<string, { example?: unknown; examples?: unknown }> }).content?.["application/json"];
      expect(media?.example ?? media?.examples, `${method} ${path}`).toBeDefined();
    }
  });

  it("serves a readable docs page without scripts", async () => {
    const res = await t.app.request("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const page = await res.text();
    expect(page).toContain("link-confirm");
    expect(page).toContain("link_token");
    expect(page).toContain("linkToken");
    expect(page).not.toMatch(/<script/i);
    for (const { path } of operations()) expect(page, path).toContain(path);
    // Example bodies are escaped, not markup.
    expect(page).toContain("&quot;client_id&quot;");
  });

  it("documents the statistics, meta and public queries as their routes enforce them (one zod schema for both)", async () => {
    const { cookie } = await signUp(t.app, { email: "openapi-queries@example.com" });
    const get = async (path: string, query: Record<string, string>) => {
      const res = await t.app.request(`${path}?${new URLSearchParams(query)}`, { headers: { cookie } });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as { error_description?: string } };
    };
    let checked = 0;
    for (const { path, op } of operations().filter(({ path, method }) => method === "get" && /^\/api\/(stats|meta|public)\//.test(path))) {
      const url = path.replace("{deckId}", "unknown").replace("{handle}", "nobody");
      for (const p of (op.parameters ?? []).filter((p) => p.in === "query")) {
        const name = p.name as string;
        const schema = p.schema as { enum?: string[]; maximum?: number; minimum?: number; maxLength?: number; format?: string; anyOf?: unknown[] };
        if (p.example !== undefined) expect((await get(url, { [name]: String(p.example) })).status, `${path} ${name}=${p.example}`).not.toBe(400);
        const refused: string[] = [];
        if (schema.enum) refused.push("not-one-of-them");
        if (schema.maximum !== undefined) refused.push(String(schema.maximum + 1));
        if (schema.minimum !== undefined) refused.push(String(schema.minimum - 1));
        if (schema.maxLength !== undefined) refused.push("x".repeat(schema.maxLength + 1));
        if (schema.format === "date" || schema.anyOf) refused.push("2026-02-30");
        for (const value of refused) {
          const res = await get(url, { [name]: value });
          expect(res.status, `${path} ${name}=${value.slice(0, 20)}`).toBe(400);
          expect(res.body.error_description, `${path} ${name}=${value.slice(0, 20)}`).toMatch(new RegExp(`^${name}[ =]`));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("leaves the /api 404 catch-all in place", async () => {
    const res = await t.app.request("/api/openapi.yaml");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "not_found" });
  });
});
