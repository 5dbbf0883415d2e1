/**
 * JSON nesting depth on every JSON body (src/server/schemas/json-depth.ts): 5,000 levels in
 * link-create's metadata, in an unknown member of a game result, or in a better-auth body answer
 * 400 naming the field, never a 500 (stack overflow in zod, JSON.stringify or the driver).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, confirm, postJson, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const EXAMPLE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as {
  players: { data: Record<string, unknown> }[];
};

/** JSON text of a value nested `levels` deep ({"a":{"a":…}}). */
const deepText = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** Posts JSON text as it is (JSON.stringify of such a value would itself overflow). */
function postText(t: TestApp, path: string, text: string, headers: Record<string, string> = {}) {
  return t.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: text });
}

describe.each(databaseKinds)("JSON nesting depth (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let partner: { clientId: string; secret: string };
  let cookie: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    ({ cookie } = await signUp(t.app, { email: "deep@example.com" }));
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("refuses link-create metadata nested 5,000 deep with 400 naming metadata", async () => {
    const body = `{"clientId":"karabast","externalUserId":"kb-deep","scopes":"decks","integration":"karabast","metadata":${deepText(5000)}}`;
    const res = await postText(t, "/api/integration/link-create", body, { cookie, origin: TEST_ORIGIN });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; error_description: string };
    expect(answer.error).toBe("invalid_request");
    expect(answer.error_description).toMatch(/^metadata\.a\.a.* is nested too deeply \(at most 32 levels\)$/);
    // Shallow metadata still works.
    await approveLink(t, cookie, { clientId: "karabast", externalUserId: "kb-shallow" });
  });

  it("refuses a game result with an unknown member nested 5,000 deep, naming its path", async () => {
    const { linkToken } = await approveLink(t, cookie, { clientId: "karabast", externalUserId: "kb-game" });
    const tokens = (await (await confirm(t, partner, linkToken, "kb-game")).json()) as TokenBody;
    const data = structuredClone(EXAMPLE);
    data.players[0]!.data.id = "kb-game";
    data.players[0]!.data.accessToken = tokens.access_token;
    data.players[0]!.data.extra = "DEEP";
    const body = JSON.stringify({ integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data }).replace('"DEEP"', deepText(5000));
    const res = await postText(t, "/api/integration/karabast/game-result", body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/^data\.players\[0\]\.data\.extra\.a\.a.* is nested too deeply/);
  });

  it("refuses a better-auth body nested too deeply before better-auth reads it", async () => {
    const body = `{"email":"deep2@example.com","password":"correct horse battery","name":"Deep","image":${deepText(5000)}}`;
    const res = await postText(t, "/api/auth/sign-up/email", body, { origin: TEST_ORIGIN });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/^image\.a.* is nested too deeply/) });
    const signIn = await postText(t, "/api/auth/sign-in/email", `{"email":${deepText(40)},"password":"x"}`, { origin: TEST_ORIGIN });
    expect(signIn.status).toBe(400);
    // No account was created.
    expect((await postJson(t, "/api/auth/sign-in/email", { email: "deep2@example.com", password: "correct horse battery" }, { origin: TEST_ORIGIN })).status).toBe(401);
  });
});
