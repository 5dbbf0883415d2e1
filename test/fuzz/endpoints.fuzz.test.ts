/**
 * Hostile input against every endpoint (issue "Hardening"): generated bodies, query strings,
 * path ids and headers; the properties are in ./runner.ts (never a 5xx or a hang, JSON errors,
 * no writes from rejected requests). `FUZZ_RUNS` cases per endpoint: 200 by default (npm test),
 * 10,000 with `npm run test:fuzz`. `FUZZ_SEED` replays a run, `FUZZ_ONLY=regex` picks endpoints by name,
 * `FUZZ_REPORT=file.json` saves the counts.
 */
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  anyString, authHeader, browserHeaders, deepMutations, jsonBody, Obj, partnerBody, pathSegment, queryString, Ref, toJ,
  type AuthHeader, type BodySpec, type BrowserHeaders, type J, type Template,
} from "./arbitraries.js";
import { headerSafe, percentEncode, renderAuthHeader, renderBody, renderQuery } from "./wire.js";
import { CODE_CHALLENGE, GAME_FIXTURE, TEST_ORIGIN, World, type SentRequest } from "./harness.js";
import { KNOWN_BUGS, REPRODUCERS } from "./known-bugs.js";
import { exercise, fuzzEndpoint, judge, relevantWrites, type EndpointReport, type EndpointSpec } from "./runner.js";

/* eslint-disable no-restricted-properties -- the fuzz suite reads its own switches */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REPORT_FILE = process.env.FUZZ_REPORT;
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
/* eslint-enable no-restricted-properties */
const PROGRESS = RUNS >= 1000;

// ------------------------------------------------------------------ request builders
type PartnerCase = { body: BodySpec; auth: AuthHeader };
type BrowserCase = { headers: BrowserHeaders; body?: BodySpec; query?: Parameters<typeof renderQuery>[0]; segment?: { value: J; mode: "strict" | "raw" } };

function bodyHeaders(body: BodySpec, w: World): { headers: Record<string, string>; body: string | Uint8Array } {
  const rendered = renderBody(body, w.resolve);
  // A string body without a content type would get text/plain from fetch: send bytes instead.
  if (body.contentType === null) return { headers: {}, body: typeof rendered === "string" ? new TextEncoder().encode(rendered) : rendered };
  return { headers: { "content-type": headerSafe(body.contentType) }, body: rendered };
}

const partner =
  (path: string, real: "karabast" | "acme") =>
  (c: PartnerCase, w: World): SentRequest => {
    const { headers, body } = bodyHeaders(c.body, w);
    const auth = renderAuthHeader(c.auth, w.resolve, real === "karabast" ? w.karabast : w.acme);
    if (auth !== null) headers.authorization = auth;
    return { method: "POST", path, headers, body };
  };

function browserHeaderValues(h: BrowserHeaders, w: World): Record<string, string> {
  const headers: Record<string, string> = {};
  const cookie = w.browserCookie(h.cookie);
  if (cookie !== null) headers.cookie = headerSafe(cookie);
  if (h.origin === "ours") headers.origin = TEST_ORIGIN;
  else if (h.origin === "same-site-fetch") headers["sec-fetch-site"] = "same-origin";
  else if (h.origin !== "none") headers.origin = headerSafe(h.origin.raw);
  return headers;
}

const browser =
  (method: string, path: string | ((c: BrowserCase, w: World) => string)) =>
  (c: BrowserCase, w: World): SentRequest => {
    const base = typeof path === "string" ? path : path(c, w);
    const req: SentRequest = { method, path: base + (c.query ? renderQuery(c.query, w.resolve) : ""), headers: browserHeaderValues(c.headers, w) };
    if (c.body) {
      const { headers, body } = bodyHeaders(c.body, w);
      Object.assign(req.headers, headers);
      req.body = body;
    }
    return req;
  };

const partnerArb = (template: Template, preferred: "json" | "form" = "json") => fc.record({ body: partnerBody(template, preferred), auth: authHeader });

// ------------------------------------------------------------------ templates (valid-looking requests)
const karabastCreds: Template = [["client_id", new Ref("clientId")], ["client_secret", new Ref("clientSecret")]];
const acmeCreds: Template = [["client_id", new Ref("oauthClientId")], ["client_secret", new Ref("oauthClientSecret")]];
const LINK_CONFIRM: Template = [...karabastCreds, ["link_token", new Ref("linkToken")], ["external_user_id", new Ref("pendingExternalUserId")], ["integration", "karabast"]];
const REFRESH: Template = [...karabastCreds, ["refresh_token", new Ref("refreshToken")], ["external_user_id", new Ref("externalUserId")], ["integration", "karabast"]];
const UNLINK: Template = [...karabastCreds, ["external_user_id", new Ref("externalUserId")], ["integration", "karabast"]];
const GAME_DATA: J = toJ(GAME_FIXTURE, {
  "68b17657-32b5-4714-aaa6-978c7cf6a1a8": new Ref("fresh"),
  "6952ccbe-d5d5-4506-b483-42451b9d548d": new Ref("externalUserId"),
  "this field arrives from karabast (is null when user is not linked) but is not inserted into swubase db": new Ref("accessToken"),
});
const GAME_RESULT: Template = [...karabastCreds, ["integration", "karabast"], ["data", GAME_DATA]];
const LINK_CREATE: Template = [
  ["clientId", new Ref("clientId")], ["externalUserId", new Ref("fresh")], ["scopes", "decks email"], ["integration", "karabast"],
  ["metadata", toJ({ source: "fuzz" })], ["redirectUri", new Ref("redirectUri")], ["state", "st"],
];
const LINK_CREATE_PKCE: Template = [
  ["clientId", new Ref("oauthClientId")], ["scope", "profile email"], ["redirectUri", new Ref("oauthRedirectUri")], ["state", "st"],
  ["codeChallenge", CODE_CHALLENGE], ["codeChallengeMethod", "S256"],
];
const LINK_DENY: Template = [["clientId", new Ref("clientId")], ["redirectUri", new Ref("redirectUri")], ["state", "st"], ["integration", "karabast"]];
const AUTHORIZE: Template = [
  ["response_type", "code"], ["client_id", new Ref("clientId")], ["redirect_uri", new Ref("redirectUri")], ["scope", "decks email profile teams"],
  ["karabast_user_id", new Ref("fresh")], ["state", "st"],
];
const AUTHORIZE_PKCE: Template = [
  ["response_type", "code"], ["client_id", new Ref("oauthClientId")], ["redirect_uri", new Ref("oauthRedirectUri")], ["scope", "profile"],
  ["state", "st"], ["code_challenge", CODE_CHALLENGE], ["code_challenge_method", "S256"],
];
const CODE_GRANT: Template = [["grant_type", "authorization_code"], ["code", new Ref("oauthCode")], ["redirect_uri", new Ref("oauthRedirectUri")], ["code_verifier", new Ref("codeVerifier")], ...acmeCreds];
const REFRESH_GRANT: Template = [["grant_type", "refresh_token"], ["refresh_token", new Ref("oauthRefreshToken")], ["scope", "profile"], ...acmeCreds];
const KARABAST_REFRESH_GRANT: Template = [["grant_type", "refresh_token"], ["refresh_token", new Ref("refreshToken")], ...karabastCreds];
const TOKEN_OF = (token: J): Template => [["token", token], ["token_type_hint", "access_token"], ...acmeCreds];
const STATS_QUERY: Template = [["format", "premier"], ["from", "2026-01-01"], ["to", "2026-12-31"], ["page", "1"], ["pageSize", "20"]];
const STATS_KEYS = ["format", "from", "to", "page", "pageSize", "deckName", "as", "by", "minGames"];
const META_QUERY: Template = [["format", "premier"], ["from", "2026-01-01"], ["to", "2026-12-31"]];
const PROFILE: Template = [["handle", "Fuzz_Player"], ["publicStats", true], ["metaOptOut", false]];
const MATCHUP_QUERY: Template = [["by", "deck"], ["minGames", "2"], ["format", "premier"], ["from", "2026-01-01"], ["leader", "9226435975"]];
const EXPORT_QUERY: Template = [["as", "csv"], ["format", "premier"], ["from", "2026-01-01"], ["to", "2026-12-31"]];
const SIGN_IN: Template = [["email", new Ref("email")], ["password", new Ref("password")], ["rememberMe", true], ["callbackURL", "/"]];
const SIGN_UP: Template = [["email", new Ref("freshEmail")], ["password", "correct horse battery"], ["name", "Fuzz Player"]];

const anyToken = fc.constantFrom<J>(new Ref("oauthAccessToken"), new Ref("oauthRefreshToken"), new Ref("accessToken"), new Ref("refreshToken"), new Ref("linkToken"));
const tokenBody = fc.oneof(
  partnerBody(TOKEN_OF(new Ref("oauthAccessToken")), "form"),
  anyToken.chain((tok) => partnerBody(TOKEN_OF(tok), "form")),
);
const browserBody = (templates: Template[], options: { replaceOneIn?: number } = {}) =>
  fc.record({ headers: browserHeaders, body: fc.oneof(...templates.map((t) => partnerBody(t, "json", options))) });
/** Every valid sign-up or sign-in costs a password hash (~0.1-0.5 s): fewer fully valid bodies there. */
const AUTH_MUTATION = { replaceOneIn: 2 };
const browserQuery = (...templates: Template[]) => fc.record({ headers: browserHeaders, query: fc.oneof(...templates.map((t) => queryString(t, ["integration", ...STATS_KEYS]))) });

const STATS_ROUTES = ["overview", "leaders", "bases", "decks", "matches", "weekly", "cards"];

/** Erases the case type so specs of different shapes share one list. */
const endpoint = <T,>(spec: EndpointSpec<T>) => spec as unknown as EndpointSpec<unknown>;

const ENDPOINTS: EndpointSpec<unknown>[] = [
  endpoint({ name: "POST /api/integration/link-confirm", kind: "ours", arb: partnerArb(LINK_CONFIRM), build: partner("/api/integration/link-confirm", "karabast") }),
  endpoint({ name: "POST /api/integration/refresh-token", kind: "ours", arb: partnerArb(REFRESH), build: partner("/api/integration/refresh-token", "karabast") }),
  endpoint({ name: "POST /api/integration/unlink", kind: "ours", arb: partnerArb(UNLINK), build: partner("/api/integration/unlink", "karabast") }),
  endpoint({
    name: "POST /api/integration/karabast/game-result",
    kind: "ours",
    arb: fc.oneof(
      // Anything, in any envelope.
      { weight: 2, arbitrary: fc.record({ body: partnerBody(GAME_RESULT), auth: authHeader }) },
      // The deployed client's envelope around a game with odd members and odd strings: mostly stored.
      {
        weight: 3,
        arbitrary: fc.record({
          body: deepMutations(GAME_DATA, { maxEdits: 3, ops: ["retext", "add", "retext", "add", "dup"] }).map((data) => jsonBody(new Obj([...GAME_RESULT.slice(0, -1), ["data", data]]))),
          auth: fc.constant<AuthHeader>({ kind: "none" }),
        }),
      },
    ),
    build: partner("/api/integration/karabast/game-result", "karabast"),
  }),
  endpoint({ name: "POST /api/integration/link-create", kind: "ours", arb: browserBody([LINK_CREATE, LINK_CREATE_PKCE]), build: browser("POST", "/api/integration/link-create") }),
  endpoint({ name: "POST /api/integration/link-deny", kind: "ours", arb: browserBody([LINK_DENY]), build: browser("POST", "/api/integration/link-deny") }),
  endpoint({ name: "GET /api/integration/authorize", kind: "ours", readOnly: true, arb: browserQuery(AUTHORIZE, AUTHORIZE_PKCE), build: browser("GET", "/api/integration/authorize") }),
  endpoint({ name: "GET /api/me/links", kind: "ours", readOnly: true, arb: browserQuery([]), build: browser("GET", "/api/me/links") }),
  endpoint({
    name: "DELETE /api/me/links/:id",
    kind: "ours",
    arb: fc.record({ headers: browserHeaders, segment: pathSegment }),
    build: browser("DELETE", (c, w) => `/api/me/links/${segmentOf(c, w)}`),
  }),
  endpoint({
    name: "POST /oauth/token",
    kind: "ours",
    arb: fc.record({ body: fc.oneof(partnerBody(CODE_GRANT, "form"), partnerBody(REFRESH_GRANT, "form"), partnerBody(KARABAST_REFRESH_GRANT, "form")), auth: authHeader }),
    build: partner("/oauth/token", "acme"),
  }),
  endpoint({ name: "POST /oauth/revoke", kind: "ours", arb: fc.record({ body: tokenBody, auth: authHeader }), build: partner("/oauth/revoke", "acme") }),
  endpoint({ name: "POST /oauth/introspect", kind: "ours", readOnly: true, arb: fc.record({ body: tokenBody, auth: authHeader }), build: partner("/oauth/introspect", "acme") }),
  endpoint({
    name: "GET /oauth/userinfo",
    kind: "ours",
    readOnly: true,
    arb: fc.record({
      method: fc.constantFrom<string>("GET", "GET", "GET", "POST"),
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant("bearer" as const), token: fc.oneof(anyToken, fc.constant<J>(new Ref("otherAccessToken")), anyString) }) as fc.Arbitrary<AuthHeader> },
        { weight: 2, arbitrary: authHeader },
      ),
    }),
    build: (c: { method: string; auth: AuthHeader }, w: World): SentRequest => {
      const auth = renderAuthHeader(c.auth, w.resolve, w.acme);
      return { method: c.method, path: "/oauth/userinfo", headers: auth === null ? {} : { authorization: auth } };
    },
  }),
  endpoint({ name: "GET /oauth/authorize", kind: "redirect", readOnly: true, arb: browserQuery(AUTHORIZE, AUTHORIZE_PKCE), build: browser("GET", "/oauth/authorize") }),
  ...STATS_ROUTES.map((r) => endpoint({ name: `GET /api/stats/${r}`, kind: "ours" as const, readOnly: true, arb: browserQuery(STATS_QUERY), build: browser("GET", `/api/stats/${r}`) })),
  endpoint({ name: "GET /api/stats/matchups", kind: "ours", readOnly: true, arb: browserQuery(MATCHUP_QUERY, STATS_QUERY), build: browser("GET", "/api/stats/matchups") }),
  endpoint({
    name: "GET /api/stats/export",
    kind: "ours",
    readOnly: true,
    successType: /^text\/csv; charset=utf-8$/,
    arb: browserQuery(EXPORT_QUERY, [["as", "json"], ...STATS_QUERY], [["format", "json"], ["from", "2026-01-01"]]),
    build: browser("GET", "/api/stats/export"),
  }),
  endpoint({
    name: "GET /api/stats/overview (Bearer)",
    kind: "ours",
    readOnly: true,
    arb: fc.record({
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant("bearer" as const), token: fc.oneof(anyToken, fc.constant<J>(new Ref("otherAccessToken")), anyString) }) as fc.Arbitrary<AuthHeader> },
        { weight: 1, arbitrary: authHeader },
      ),
      query: queryString(STATS_QUERY, STATS_KEYS),
    }),
    build: (c: { auth: AuthHeader; query: Parameters<typeof renderQuery>[0] }, w: World): SentRequest => {
      const auth = renderAuthHeader(c.auth, w.resolve, w.acme);
      return { method: "GET", path: `/api/stats/overview${renderQuery(c.query, w.resolve)}`, headers: auth === null ? {} : { authorization: auth } };
    },
  }),
  ...["leaders", "bases"].map((r) => endpoint({ name: `GET /api/meta/${r}`, kind: "ours" as const, readOnly: true, arb: browserQuery(META_QUERY), build: browser("GET", `/api/meta/${r}`) })),
  endpoint({
    name: "GET /api/public/:handle/stats",
    kind: "ours",
    readOnly: true,
    arb: fc.record({ headers: browserHeaders, query: queryString(STATS_QUERY, STATS_KEYS), segment: fc.record({ value: fc.oneof(fc.constant<J>("Fuzz_Player"), anyString), mode: fc.constantFrom<"strict" | "raw">("strict", "raw") }) }),
    build: browser("GET", (c, w) => `/api/public/${segmentOf(c, w)}/stats`),
  }),
  endpoint({ name: "GET /api/me/profile", kind: "ours", readOnly: true, arb: browserQuery([]), build: browser("GET", "/api/me/profile") }),
  endpoint({ name: "PATCH /api/me/profile", kind: "ours", arb: browserBody([PROFILE]), build: browser("PATCH", "/api/me/profile") }),
  endpoint({
    name: "GET /api/stats/decks/:deckId/cards",
    kind: "ours",
    readOnly: true,
    arb: fc.record({ headers: browserHeaders, query: queryString([["deckName", "Han2 Oscillator v2"], ...STATS_QUERY], STATS_KEYS), segment: fc.record({ value: fc.oneof(fc.constant<J>("unknown"), anyString), mode: fc.constantFrom<"strict" | "raw">("strict", "raw") }) }),
    build: browser("GET", (c, w) => `/api/stats/decks/${segmentOf(c, w)}/cards`),
  }),
  endpoint({ name: "POST /api/auth/sign-in/email", kind: "better-auth", arb: browserBody([SIGN_IN], AUTH_MUTATION), build: browser("POST", "/api/auth/sign-in/email") }),
  endpoint({ name: "POST /api/auth/sign-up/email", kind: "better-auth", arb: browserBody([SIGN_UP], AUTH_MUTATION), build: browser("POST", "/api/auth/sign-up/email") }),
];

function segmentOf(c: BrowserCase, w: World): string {
  const v = c.segment!.value;
  const text = typeof v === "string" ? v : v instanceof Ref ? w.resolve(v.name) : JSON.stringify(v);
  return percentEncode(text, c.segment!.mode);
}

// ------------------------------------------------------------------ the suite
let w: World;
beforeAll(async () => {
  w = await World.create();
});
afterAll(async () => {
  await w?.close();
});

describe(`fuzzing every endpoint (${RUNS} cases each, seed ${SEED})`, () => {
  const reports: EndpointReport[] = [];
  afterAll(() => {
    if (reports.length === 0) return;
    const line = (r: EndpointReport) =>
      `${r.name.padEnd(44)} ${String(r.cases).padStart(6)} cases ${(r.ms / 1000).toFixed(1).padStart(7)} s  digest checks ${r.digestChecks}  statuses ${JSON.stringify(r.statuses)}${Object.keys(r.knownBugHits).length ? `  known bugs ${JSON.stringify(r.knownBugHits)}` : ""}`;
    console.log(`[fuzz] seed ${SEED}\n${reports.map(line).join("\n")}`);
    if (REPORT_FILE) writeFileSync(REPORT_FILE, JSON.stringify({ seed: SEED, runs: RUNS, reports }, null, 2));
  });

  for (const spec of ENDPOINTS) {
    it.skipIf(ONLY !== null && !ONLY.test(spec.name))(spec.name, { timeout: 60_000 + RUNS * 200 }, async () => {
      // better-auth prints its own 4xx reasons (bad JSON, wrong content type) to the console.
      const quiet = spec.kind === "better-auth" ? vi.spyOn(console, "error").mockImplementation(() => {}) : null;
      const report = await fuzzEndpoint(w, spec, { runs: RUNS, seed: SEED, knownBugs: KNOWN_BUGS, progress: PROGRESS }).finally(() => quiet?.mockRestore());
      reports.push(report);
      expect(report.cases).toBeGreaterThanOrEqual(RUNS);
    });
  }
});

// KNOWN BUG: every reproducer below shows a bug listed in ./known-bugs.ts; `it.fails` keeps the
// suite green until the fix, then turns red: remove the reproducer and the KNOWN_BUGS entry.
// With none open the suite is skipped (vitest fails a suite that holds no test).
describe.skipIf(REPRODUCERS.length === 0)("known bugs: minimal reproducers", () => {
  for (const r of REPRODUCERS) {
    it.fails(`${r.bug}: ${r.title}`, async () => {
      await w.takeWrites();
      const quiet = r.kind === "better-auth" ? vi.spyOn(console, "error").mockImplementation(() => {}) : null;
      const o = await exercise(w, r.request(w)).finally(() => quiet?.mockRestore());
      if (relevantWrites(r, o.writes).length) await w.resync();
      expect(judge(r, o), `${o.status} ${o.text.slice(0, 200)}`).toEqual([]);
    });
  }
});
