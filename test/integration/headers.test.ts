import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { buildTestApp, testConfig, type TestApp } from "../support/test-app.js";

describe("browser security headers", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  let webRoot: string;

  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
    webRoot = mkdtempSync(join(tmpdir(), "swl-web-"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Swubase</title>");
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("sends a strict CSP, no framing, referrer and content-type policies on every page", async () => {
    const app = createApp({ ...t.deps, webRoot });
    for (const path of ["/", "/settings/link/karabast?client_id=x", "/settings/integrations", "/stats"]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("adds HSTS when PUBLIC_URL is https", async () => {
    const config = testConfig({ PUBLIC_URL: "https://swubase.example" });
    const app = createApp({ ...t.deps, config, webRoot });
    expect((await app.request("/")).headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});
