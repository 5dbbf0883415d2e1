/**
 * The standard OAuth 2.0 front door, driven by an off-the-shelf client (oauth4webapi) that knows
 * only the discovery document. The approval step is done as the page does it (real link-create).
 */
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { postForm } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";

const REDIRECT = "https://acme.example/oauth/callback";

describe.each(databaseKinds)("standard OAuth 2.0 (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;
  let clientAuth: oauth.ClientAuth;
  let secret: string;
  const clock = fakeClock();
  const opts = () => ({ [oauth.customFetch]: (url: string, init: RequestInit) => Promise.resolve(t.app.request(url, init)), [oauth.allowInsecureRequests]: true });

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database, { clock });
    ({ secret } = await t.deps.services.clients.register({ clientId: "acme", name: "Acme Stats", integration: "acme", redirectUris: [REDIRECT], scopes: ["profile", "email", "decks"] }));
    await t.deps.services.clients.register({ clientId: "intruder", name: "Other", integration: "acme", redirectUris: [REDIRECT], scopes: ["profile"] });
    ({ cookie } = await signUp(t.app, { email: "oauth@example.com", name: "Padmé" }));
    const issuer = new URL(TEST_ORIGIN);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...opts(), algorithm: "oauth2" }));
    client = { client_id: "acme" };
    clientAuth = oauth.ClientSecretBasic(secret);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  /** Authorise like a browser: /oauth/authorize → the approval page's checks → Approve. */
  async function authorise(options: { pkce?: boolean; state?: string } = {}) {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", "acme");
    url.searchParams.set("redirect_uri", REDIRECT);
    url.searchParams.set("scope", "profile email");
    const state = options.state ?? oauth.generateRandomState();
    url.searchParams.set("state", state);
    if (options.pkce !== false) {
      url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set("code_challenge_method", "S256");
    }
    const toPage = await t.app.request(url.pathname + url.search);
    expect(toPage.status).toBe(302);
    const page = new URL(toPage.headers.get("location")!, TEST_ORIGIN);
    expect(page.pathname).toBe("/settings/link/acme");
    const check = await t.app.request(`/api/integration/authorize${page.search}&integration=acme`, { headers: { cookie } });
    expect(check.status, await check.clone().text()).toBe(200);
    const request = (await check.json()) as { codeChallenge: string | null; scopes: { name: string }[]; externalUserId: string | null };
    expect(request.externalUserId).toBeNull();
    const approved = await t.app.request("/api/integration/link-create", {
      method: "POST",
      headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ clientId: "acme", scopes: request.scopes.map((s) => s.name).join(" "), redirectUri: REDIRECT, state, codeChallenge: request.codeChallenge ?? undefined, codeChallengeMethod: request.codeChallenge ? "S256" : undefined }),
    });
    expect(approved.status, await approved.clone().text()).toBe(200);
    const callback = new URL(((await approved.json()) as { redirectTo: string }).redirectTo);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    return { params, verifier, code: callback.searchParams.get("code")! };
  }

  it("publishes RFC 8414 metadata", () => {
    expect(as.issuer).toBe(TEST_ORIGIN);
    expect(as.grant_types_supported).toEqual(["authorization_code", "refresh_token"]);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post"]);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
  });

  it("runs the whole flow: code + PKCE, refresh, introspect, userinfo, revoke", async () => {
    const { params, verifier } = await authorise();
    const tokenRes = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT, verifier, opts()));
    expect(tokenRes.token_type).toBe("bearer");
    expect(tokenRes.scope).toBe("profile email");
    expect(tokenRes.expires_in).toBe(3600);

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokenRes.refresh_token!, opts()));
    expect(refreshed.access_token).not.toBe(tokenRes.access_token);

    const intro = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, opts()));
    expect(intro.active).toBe(true);
    expect(intro.client_id).toBe("acme");
    expect(intro.scope).toBe("profile email");

    const info = await oauth.processUserInfoResponse(as, client, oauth.skipSubjectCheck, await oauth.userInfoRequest(as, client, refreshed.access_token, opts()));
    expect(info).toMatchObject({ name: "Padmé", email: "oauth@example.com" });
    expect(info.sub).toMatch(/.+/);

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, opts()));
    const after = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, opts()));
    expect(after.active).toBe(false);
    const userinfo = await t.app.request("/oauth/userinfo", { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("accepts client_secret_post as well", async () => {
    const { code, verifier } = await authorise();
    const res = await postForm(t, "/oauth/token", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: "acme", client_secret: secret });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  const exchange = (body: Record<string, string>, auth = `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}`) =>
    postForm(t, "/oauth/token", { grant_type: "authorization_code", redirect_uri: REDIRECT, ...body }, { authorization: auth });

  it.each([
    ["a wrong verifier", (v: string) => ({ code_verifier: v.slice(0, -2) + "xx" })],
    ["a missing verifier", () => ({})],
    ["a redirect URI mismatch", (v: string) => ({ code_verifier: v, redirect_uri: REDIRECT + "/" })],
  ])("refuses %s with invalid_grant and leaves the code usable", async (_name, extra) => {
    const { code, verifier } = await authorise();
    const bad = await exchange({ code, ...extra(verifier) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
  });

  it("refuses a verifier when no challenge was given (PKCE downgrade)", async () => {
    const { code } = await authorise({ pkce: false });
    expect((await exchange({ code, code_verifier: oauth.generateRandomCodeVerifier() })).status).toBe(400);
    expect((await exchange({ code })).status).toBe(200);
  });

  it("a code used twice revokes the tokens it issued", async () => {
    const { code, verifier } = await authorise();
    const first = (await (await exchange({ code, code_verifier: verifier })).json()) as { access_token: string; refresh_token: string };
    const second = await exchange({ code, code_verifier: verifier });
    expect(second.status).toBe(400);
    const intro = await postForm(t, "/oauth/introspect", { token: first.access_token }, { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` });
    expect(await intro.json()).toEqual({ active: false });
    const refresh = await postForm(t, "/oauth/token", { grant_type: "refresh_token", refresh_token: first.refresh_token }, { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` });
    expect(refresh.status).toBe(400);
  });

  it("a refresh asking for more than was granted is invalid_scope and rotates nothing (RFC 6749 §6)", async () => {
    const { code, verifier } = await authorise();
    const first = (await (await exchange({ code, code_verifier: verifier })).json()) as { refresh_token: string; scope: string };
    expect(first.scope).toBe("profile email");
    const auth = { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` };
    for (const scope of ["decks", "profile decks", "profile+teams"]) {
      const wider = await postForm(t, "/oauth/token", { grant_type: "refresh_token", refresh_token: first.refresh_token, scope }, auth);
      expect(wider.status, scope).toBe(400);
      expect(await wider.json(), scope).toMatchObject({ error: "invalid_scope" });
    }
    // The token did not rotate: it still works, with the same or a narrower scope (the grant is kept).
    const narrower = await postForm(t, "/oauth/token", { grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "profile" }, auth);
    expect(narrower.status).toBe(200);
    const second = (await narrower.json()) as { refresh_token: string; scope: string };
    expect(second.scope).toBe("profile email");
    const same = await postForm(t, "/oauth/token", { grant_type: "refresh_token", refresh_token: second.refresh_token, scope: "email profile" }, auth);
    expect(same.status).toBe(200);
  });

  it("refuses the wrong client, a wrong secret, an expired code, and unknown grants", async () => {
    const { code, verifier } = await authorise();
    const intruder = await exchange({ code, code_verifier: verifier, client_id: "intruder" }, `Basic ${Buffer.from("intruder:nope").toString("base64")}`);
    expect(intruder.status).toBe(401);
    const { secret: intruderSecret } = await t.deps.services.clients.rotateSecret("intruder", { dropOld: true });
    const otherClient = await exchange({ code, code_verifier: verifier }, `Basic ${Buffer.from(`intruder:${intruderSecret}`).toString("base64")}`);
    expect(otherClient.status).toBe(400);
    expect(((await otherClient.json()) as { error: string }).error).toBe("invalid_grant");

    const late = await authorise();
    clock.advance(601);
    expect((await exchange({ code: late.code, code_verifier: late.verifier })).status).toBe(400);

    const unknown = await postForm(t, "/oauth/token", { grant_type: "password" }, { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` });
    expect(((await unknown.json()) as { error: string }).error).toBe("unsupported_grant_type");
    const none = await postForm(t, "/oauth/token", {}, { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` });
    expect(((await none.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("rejects a bad PKCE method on the approval page by redirecting back", async () => {
    const res = await t.app.request(`/api/integration/authorize?client_id=acme&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=abc&code_challenge_method=plain&state=q&integration=acme`, { headers: { cookie } });
    const body = (await res.json()) as { redirectTo: string };
    const to = new URL(body.redirectTo);
    expect(to.searchParams.get("error")).toBe("invalid_request");
    expect(to.searchParams.get("state")).toBe("q");
    expect(to.searchParams.get("iss")).toBe(TEST_ORIGIN);
  });

  it("introspection hides other clients' tokens; revocation of unknown tokens is a quiet 200", async () => {
    const { code, verifier } = await authorise();
    const tokens = (await (await exchange({ code, code_verifier: verifier })).json()) as { access_token: string };
    const { secret: s2 } = await t.deps.services.clients.rotateSecret("intruder", { dropOld: true });
    const other = await postForm(t, "/oauth/introspect", { token: tokens.access_token }, { authorization: `Basic ${Buffer.from(`intruder:${s2}`).toString("base64")}` });
    expect(await other.json()).toEqual({ active: false });
    const revoke = await postForm(t, "/oauth/revoke", { token: "swbr_unknown" }, { authorization: `Basic ${Buffer.from(`acme:${secret}`).toString("base64")}` });
    expect(revoke.status).toBe(200);
  });
});
