import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { postJson } from "../support/link-helpers.js";
import { buildTestApp, testConfig, type TestApp } from "../support/test-app.js";

describe("partner clients", () => {
  let tdb: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
    t = buildTestApp(tdb.database);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const unlinkWith = (clientId: string, secret: string) =>
    postJson(t, "/api/integration/unlink", { client_id: clientId, client_secret: secret, external_user_id: "x", integration: "karabast" });

  it("upserts the Karabast client from KARABAST_* settings, secret stored as a digest only", async () => {
    const config = testConfig({
      KARABAST_CLIENT_ID: "karabast-prod",
      KARABAST_CLIENT_SECRET: "k".repeat(20) + "arabast-secret-value-1234",
      KARABAST_REDIRECT_URIS: "https://karabast.example/cb, https://beta.karabast.example/cb",
    });
    expect(config.karabast!.scopes).toEqual(["decks", "email", "profile", "teams"]);
    await t.deps.services.clients.upsertConfigured(config.karabast!);
    expect((await unlinkWith("karabast-prod", config.karabast!.secret)).status).toBe(200);
    // Changing the configured secret replaces the old one at the next start.
    await t.deps.services.clients.upsertConfigured({ ...config.karabast!, secret: "n".repeat(40) });
    expect((await unlinkWith("karabast-prod", config.karabast!.secret)).status).toBe(401);
    expect((await unlinkWith("karabast-prod", "n".repeat(40))).status).toBe(200);
    const listed = await t.deps.services.clients.list();
    expect(JSON.stringify(listed)).not.toContain("n".repeat(40));
  });

  it("keeps two secrets valid during a rotation, then only the new one", async () => {
    const { clientId, secret: first } = await t.deps.services.clients.register({ clientId: "rotating", name: "R", integration: "karabast", redirectUris: ["https://r.example/cb"], scopes: ["decks"] });
    const { secret: second } = await t.deps.services.clients.rotateSecret(clientId);
    expect((await unlinkWith(clientId, first)).status).toBe(200);
    expect((await unlinkWith(clientId, second)).status).toBe(200);
    const { secret: third } = await t.deps.services.clients.rotateSecret(clientId, { dropOld: true });
    expect((await unlinkWith(clientId, first)).status).toBe(401);
    expect((await unlinkWith(clientId, second)).status).toBe(401);
    expect((await unlinkWith(clientId, third)).status).toBe(200);
  });

  it("rejects invalid registrations", async () => {
    const base = { clientId: "ok-id", name: "N", integration: "karabast", redirectUris: ["https://ok.example/cb"], scopes: ["decks"] };
    await expect(t.deps.services.clients.register({ ...base, scopes: ["admin"] })).rejects.toThrow(/unknown scope/);
    await expect(t.deps.services.clients.register({ ...base, redirectUris: ["ftp://x"] })).rejects.toThrow(/redirect URI/);
    await expect(t.deps.services.clients.register({ ...base, redirectUris: ["https://x.example/cb#frag"] })).rejects.toThrow(/fragment/);
    await expect(t.deps.services.clients.register({ ...base, clientId: "a b" })).rejects.toThrow(/client id/);
  });

  it("rejects incomplete KARABAST_* settings at start-up", () => {
    expect(() => testConfig({ KARABAST_CLIENT_ID: "k" })).toThrow(/KARABAST_CLIENT_SECRET/);
    expect(() => testConfig({ KARABAST_CLIENT_ID: "k", KARABAST_CLIENT_SECRET: "s".repeat(40), KARABAST_REDIRECT_URIS: "not a url" })).toThrow(/not an absolute/);
  });
});
