/**
 * fast-check arbitraries for hostile HTTP input. Bodies are generated as a small JSON syntax
 * tree (J) rather than JS values, so they can hold what JSON.stringify cannot write: duplicate
 * keys, own `__proto__` members, `1e309`, `-0`, lone surrogates, and references (Ref) to live
 * credentials and tokens that the harness resolves when the request is sent (so a token
 * consumed by one case is never replayed by the next). ./wire.ts turns them into bytes.
 */
import fc from "fast-check";
import { ALIASES } from "../../src/server/schemas/integration-fields.js";

/** Values the harness resolves at send time from the live database state. */
export type RefName =
  | "clientId" | "clientSecret" | "oauthClientId" | "oauthClientSecret"
  | "linkToken" | "pendingExternalUserId" | "oauthCode" | "codeVerifier"
  | "accessToken" | "refreshToken" | "externalUserId" | "otherAccessToken" | "otherExternalUserId"
  | "oauthAccessToken" | "oauthRefreshToken" | "redirectUri" | "oauthRedirectUri"
  | "linkId" | "otherLinkId" | "fresh" | "email" | "password" | "freshEmail";

/** Text emitted verbatim into JSON (number literals JSON.stringify cannot write). */
export class Raw {
  constructor(readonly text: string) {}
  [fc.toStringMethod]() { return `Raw(${JSON.stringify(this.text)})`; }
}
export class Ref {
  constructor(readonly name: RefName) {}
  [fc.toStringMethod]() { return `Ref(${this.name})`; }
}
/** A JSON object as an entry list: keys may repeat and may be `__proto__`. */
export class Obj {
  constructor(readonly entries: [string, J][]) {}
  [fc.toStringMethod]() { return `Obj(${fc.stringify(this.entries)})`; }
}
export type J = null | boolean | number | string | Raw | Ref | Obj | J[];

// ------------------------------------------------------------------ strings and leaves
const ODD_UNITS = [
  "\u0000", "\ud800", "\udfff", "\ud83d", "\u202e", "\u200f", "\u200b", "\ufeff", "\uffff", "\ufffe", "\u2028", "\u2029",
  "😀", "👨‍👩‍👧", "e\u0301", "\u0085", "\u00a0", "İ", "ß", "Ω", "\n", "\r", "\t", "\\", '"', "'", "%", "&", "=", "+", "#", "?", "/", ";", " ",
];
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_UNITS) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
);
const oddString = fc.array(unit, { maxLength: 24 }).map((a) => a.join(""));

/** Long strings around every limit the service has (200, 512, 1000, 2000, 4 kB, 64 kB) and up to 100 kB. */
const hugeString = fc
  .tuple(fc.constantFrom("x", "é", "😀", "\u0000", "A", " "), fc.oneof(fc.constantFrom(199, 200, 201, 511, 512, 513, 1000, 1001, 2000, 2001, 4097, 65_000, 65_537, 100_000), fc.integer({ min: 1, max: 100_000 })))
  .map(([c, n]) => c.repeat(Math.max(1, Math.floor(n / c.length))));

const specialString = fc.constantFrom(
  "", " ", "   ", "NaN", "Infinity", "-Infinity", "1e309", "null", "undefined", "true", "false", "[object Object]", "0", "-1",
  "karabast", "oauth", "KARABAST", "Karabast ", "code", "token", "S256", "plain", "authorization_code", "refresh_token", "decks email profile teams",
  "https://karabast.example/api/swubase/callback", "https://evil.example/cb", "javascript:alert(1)", "http://[::1", "' OR 1=1 --", "%00", "..%2f..%2f",
  "swbl_", "swba_", "swbr_", "2026-01-21T16:28:42.574Z", "2026-02-30", "0000-00-00T00:00:00Z", "+275760-09-13T00:00:00.000Z",
);
const tokenLike = fc
  .tuple(fc.constantFrom("swbl_", "swba_", "swbr_", "", "Bearer "), fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), minLength: 0, maxLength: 64 }))
  .map(([p, s]) => p + s);
export const anyString = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 2, arbitrary: specialString },
  { weight: 2, arbitrary: tokenLike },
  { weight: 1, arbitrary: hugeString },
);

const numberLike: fc.Arbitrary<J> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1, -1, 200, 201, 2 ** 53, -(2 ** 53), 1_000_001, 3, 4),
  fc.constantFrom("1e309", "-1e309", "-0", "1e-400", "123456789012345678901234567890", "0.1e1", "1E2", "4.0").map((t) => new Raw(t)),
);

const REFS: RefName[] = [
  "clientId", "clientSecret", "oauthClientId", "oauthClientSecret", "linkToken", "pendingExternalUserId", "oauthCode", "codeVerifier",
  "accessToken", "refreshToken", "externalUserId", "otherAccessToken", "otherExternalUserId", "oauthAccessToken", "oauthRefreshToken",
  "redirectUri", "oauthRedirectUri", "linkId", "otherLinkId", "fresh",
];
const anyRef = fc.constantFrom(...REFS).map((r) => new Ref(r));

const leaf: fc.Arbitrary<J> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<J>(null, true, false) },
  { weight: 2, arbitrary: numberLike },
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: anyRef },
);

// ------------------------------------------------------------------ keys
const ALIAS_KEYS: string[] = Object.values(ALIASES).flat();
const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const hostileKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ALIAS_KEYS) },
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...ALIAS_KEYS).map((k) => k.toUpperCase()) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ALIAS_KEYS), fc.constantFrom(" ", "\u0000", "\u200b", ".", "[]")).map(([k, s]) => k + s) },
  { weight: 2, arbitrary: oddString },
);

/** Nested arrays/objects up to depth 200, around any leaf. */
const deepNesting: fc.Arbitrary<J> = fc
  .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom("array", "object", "proto", "mixed"), leaf)
  .map(([depth, kind, inner]) => {
    let v: J = inner;
    for (let i = 0; i < depth; i++) {
      const asArray = kind === "array" || (kind === "mixed" && i % 2 === 0);
      v = asArray ? [v] : new Obj([[kind === "proto" ? "__proto__" : "a", v]]);
    }
    return v;
  });

const { tree } = fc.letrec<{ tree: J }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie("tree")), { maxLength: 4 }).map((e) => new Obj(e)),
  ),
}));

/** A value of any type for any field. */
const hostileValue: fc.Arbitrary<J> = fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 3, arbitrary: tree }, { weight: 1, arbitrary: deepNesting });

// ------------------------------------------------------------------ objects from templates
export type Template = [string, J][];

/** Every spelling of the concept a wire name belongs to (client_id → client_id, clientId). */
function spellings(key: string): readonly string[] {
  return Object.values(ALIASES).find((a) => (a as readonly string[]).includes(key)) ?? [key];
}

/**
 * A template with fields dropped, respelled, given values of the wrong type, and extra members
 * (other spellings with other values, prototype keys, junk) added. About a third keep every
 * field valid, so the handlers behind client authentication and validation are reached.
 */
function mutatedObject(template: Template, value: fc.Arbitrary<J> = hostileValue, options: { replaceOneIn?: number } = {}): fc.Arbitrary<Obj> {
  const replacement = (good: J) => (good instanceof Obj || Array.isArray(good) ? fc.oneof(value, deepMutations(good, { maxEdits: 2 })) : value);
  const field = ([key, good]: [string, J]) =>
    fc
      .record({
        keep: fc.nat(9).map((n) => n < 8),
        spelling: fc.constantFrom(...spellings(key)),
        replace: fc.oneof({ weight: (options.replaceOneIn ?? 4) - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: replacement(good) }),
      })
      .map(({ keep, spelling, replace }): [string, J] | null => (keep ? [spelling, replace === undefined ? good : replace] : null));
  return fc
    .tuple(fc.tuple(...template.map(field)), fc.array(fc.tuple(hostileKey, value), { maxLength: 3 }), fc.boolean())
    .map(([fields, extra, extraFirst]) => {
      const kept = fields.filter((f): f is [string, J] => f !== null);
      return new Obj(extraFirst ? [...extra, ...kept] : [...kept, ...extra]);
    });
}

export type EditOp = "replace" | "retext" | "delete" | "add" | "wrap" | "dup";
const ALL_OPS: readonly EditOp[] = ["replace", "retext", "delete", "add", "wrap", "dup"];

/**
 * Random edits deep inside a value: replace a member by anything, give it an odd string
 * ("retext": keeps a string a string, so the value may stay valid), delete it, add a member,
 * wrap it in an array, or repeat its key.
 */
export function deepMutations(template: J, options: { maxEdits?: number; ops?: readonly EditOp[] } = {}): fc.Arbitrary<J> {
  const edit = fc.record({ at: fc.nat(), op: fc.constantFrom(...(options.ops ?? ALL_OPS)), key: hostileKey, value: hostileValue, text: anyString });
  return fc.array(edit, { maxLength: options.maxEdits ?? 3 }).map((edits) => {
    const root = cloneJ(template);
    for (const e of edits) {
      const slots: Slot[] = [];
      collectSlots(root, slots);
      if (slots.length === 0) break;
      const slot = slots[e.at % slots.length]!;
      const current = slot.kind === "entry" ? slot.entries[slot.index]![1] : slot.items[slot.index]!;
      const set = (v: J) => (slot.kind === "entry" ? (slot.entries[slot.index]![1] = v) : (slot.items[slot.index] = v));
      if (e.op === "replace") set(e.value);
      else if (e.op === "retext") set(e.text);
      else if (e.op === "wrap") set([current]);
      else if (e.op === "delete") (slot.kind === "entry" ? slot.entries : slot.items).splice(slot.index, 1);
      else if (e.op === "dup" && slot.kind === "entry") slot.entries.push([slot.entries[slot.index]![0], e.value]);
      else if (current instanceof Obj) current.entries.push([e.key, e.op === "add" ? e.value : e.text]);
      else if (Array.isArray(current)) current.push(e.value);
      else set(new Obj([[e.key, e.value]]));
    }
    return root;
  });
}

type Slot = { kind: "entry"; entries: [string, J][]; index: number } | { kind: "item"; items: J[]; index: number };

function cloneJ(v: J): J {
  if (Array.isArray(v)) return v.map(cloneJ);
  if (v instanceof Obj) return new Obj(v.entries.map(([k, x]) => [k, cloneJ(x)]));
  return v;
}

function collectSlots(v: J, out: Slot[]) {
  if (Array.isArray(v)) v.forEach((x, index) => (out.push({ kind: "item", items: v, index }), collectSlots(x, out)));
  else if (v instanceof Obj) v.entries.forEach(([, x], index) => (out.push({ kind: "entry", entries: v.entries, index }), collectSlots(x, out)));
}

/** Converts plain JSON (a fixture) to the syntax tree, replacing chosen string values by refs. */
export function toJ(value: unknown, refs: Record<string, J> = {}): J {
  if (value === null || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "string") return Object.hasOwn(refs, value) ? refs[value]! : value;
  if (Array.isArray(value)) return value.map((x) => toJ(x, refs));
  return new Obj(Object.entries(value as Record<string, unknown>).map(([k, x]) => [k, toJ(x, refs)]));
}

// ------------------------------------------------------------------ bodies on the wire
type Encoding = "json" | "form" | "truncated" | "junk-after" | "utf16" | "invalid-utf8" | "multipart" | "text" | "empty";
export interface BodySpec {
  value: J;
  encoding: Encoding;
  contentType: string | null;
  /** Where to cut (truncated) or insert bytes (invalid-utf8), as a fraction. */
  at: number;
  junk: string;
}

const CONTENT_TYPES = [
  "application/json; charset=utf-16", "APPLICATION/JSON", "application/json;;;", " application/json ", "application/vnd.api+json",
  "application/x-www-form-urlencoded; charset=ISO-8859-1", "text/plain", "text/plain;charset=UTF-8", "text/json", "application/jsonx",
  "multipart/form-data; boundary=----fuzz", "multipart/form-data", "application/octet-stream", "*/*", "", "application/x-www-form-urlencoded, application/json",
];
const JUNK = ["", "}", "]]]", ",", "\u0000", "garbage", "{}", "\ud800", "/*", "\u202e", "&&=&%zz"];

/** A body as the client would mostly send it (JSON or form), or mangled on the wire. */
function bodySpec(value: fc.Arbitrary<J>, preferred: "json" | "form" = "json"): fc.Arbitrary<BodySpec> {
  const encoding = fc.oneof(
    { weight: 12, arbitrary: fc.constant<Encoding>(preferred) },
    { weight: 4, arbitrary: fc.constant<Encoding>(preferred === "json" ? "form" : "json") },
    { weight: 4, arbitrary: fc.constantFrom<Encoding>("truncated", "junk-after", "utf16", "invalid-utf8", "multipart", "text", "empty") },
  );
  return fc.record({ value, encoding, coherent: fc.nat(9), odd: fc.constantFrom<string | null>(null, ...CONTENT_TYPES), at: fc.double({ min: 0, max: 1, noNaN: true }), junk: fc.constantFrom(...JUNK) }).map(
    ({ value: v, encoding: e, coherent, odd, at, junk }) => {
      const natural = e === "form" ? "application/x-www-form-urlencoded" : e === "multipart" ? "multipart/form-data; boundary=fuzz" : e === "text" ? "text/plain" : "application/json";
      return { value: v, encoding: e, contentType: coherent < 8 ? natural : odd, at, junk };
    },
  );
}

/** A well-formed JSON body, as the deployed client sends it. */
export const jsonBody = (value: J): BodySpec => ({ value, encoding: "json", contentType: "application/json", at: 0, junk: "" });

/** Builds every top-level shape: mostly the endpoint's template mutated, sometimes anything at all. */
export function partnerBody(template: Template, preferred: "json" | "form" = "json", options: { replaceOneIn?: number } = {}): fc.Arbitrary<BodySpec> {
  const top: fc.Arbitrary<J> = fc.oneof(
    { weight: 8, arbitrary: mutatedObject(template, hostileValue, options) },
    { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 3 }) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: mutatedObject(template, hostileValue, options).map((o) => nest(o)) },
  );
  return bodySpec(top, preferred);
}
const nest = (o: Obj): J => [o];

// ------------------------------------------------------------------ query strings, paths, headers
export type QueryPair = [string, J];

/** Dates and timestamps, valid, invalid, and at the edges of what Date can hold. */
const dateLike: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom(
    "2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "2026-01-01T00:00:00+25:00", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.0000000000Z",
    "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00Z", "2026-1-1", "20260101", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00z", "1970-01-01T00:00:00-00:00",
  ),
);

/** A query string from pairs (keys may repeat), encoded strictly, with '+', raw, or with broken escapes. */
export function queryString(template: Template, extraKeys: string[]): fc.Arbitrary<{ pairs: QueryPair[]; mode: "strict" | "plus" | "raw"; broken: string }> {
  const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...extraKeys, ...ALIAS_KEYS) }, { weight: 1, arbitrary: hostileKey });
  const value: fc.Arbitrary<J> = fc.oneof({ weight: 4, arbitrary: anyString }, { weight: 1, arbitrary: numberLike }, { weight: 1, arbitrary: anyRef }, { weight: 2, arbitrary: dateLike });
  return fc.record({
    pairs: mutatedObject(template, value).map((o) => o.entries),
    extra: fc.array(fc.tuple(key, value), { maxLength: 4 }),
    mode: fc.constantFrom<"strict" | "plus" | "raw">("strict", "strict", "plus", "raw"),
    broken: fc.constantFrom("", "", "", "%", "%zz", "%E2%82", "%C0%AF", "%00", "%ED%A0%80", "%FF", "&&", "=", "a=1&a=2", ";"),
  }).map(({ pairs, extra, mode, broken }) => ({ pairs: [...pairs, ...extra], mode, broken }));
}

/** A path segment: a real id, a random one, or anything, possibly not encoded at all. */
export const pathSegment: fc.Arbitrary<{ value: J; mode: "strict" | "raw" }> = fc.record({
  value: fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom<J>(new Ref("linkId"), new Ref("otherLinkId"), "00000000-0000-0000-0000-000000000000", "unknown") },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: anyString },
    { weight: 1, arbitrary: fc.constantFrom<J>("..", ".", "%2e%2e", "a%2Fb", "%", "%zz", "%00", "%ED%A0%80") },
  ),
  mode: fc.constantFrom<"strict" | "raw">("strict", "strict", "raw"),
});

export type AuthHeader = { kind: "none" } | { kind: "basic-real" } | { kind: "basic"; id: string; secret: string } | { kind: "bearer"; token: J } | { kind: "raw"; value: string };

/** Authorization headers: absent, real Basic credentials, wrong ones, Bearer tokens, garbage. */
export const authHeader: fc.Arbitrary<AuthHeader> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<AuthHeader>({ kind: "none" }) },
  { weight: 3, arbitrary: fc.constant<AuthHeader>({ kind: "basic-real" }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("basic" as const), id: anyString, secret: anyString }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("bearer" as const), token: fc.oneof(anyRef, anyString) }) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom("Basic", "Basic ", "Basic :", "Basic ===", "Basic !!!", "Bearer", "bearer  x", "Bearer a b", "Digest x", "Basic " + "A".repeat(70_000)),
      anyString,
    ).map((value) => ({ kind: "raw" as const, value })),
  },
);

/** Cookie and Origin for the browser endpoints: mostly the real session from our own origin. */
export interface BrowserHeaders {
  cookie: "real" | "other-user" | "none" | "tampered" | { raw: string };
  origin: "ours" | "none" | "same-site-fetch" | { raw: string };
}
export const browserHeaders: fc.Arbitrary<BrowserHeaders> = fc.record({
  cookie: fc.oneof(
    { weight: 12, arbitrary: fc.constant<BrowserHeaders["cookie"]>("real") },
    { weight: 1, arbitrary: fc.constantFrom<BrowserHeaders["cookie"]>("other-user", "none", "tampered") },
    { weight: 1, arbitrary: fc.oneof(anyString, fc.constantFrom("better-auth.session_token=", "better-auth.session_token=a.b; better-auth.session_token=c", "=;=;;")).map((raw) => ({ raw })) },
  ),
  origin: fc.oneof(
    { weight: 12, arbitrary: fc.constant<BrowserHeaders["origin"]>("ours") },
    { weight: 1, arbitrary: fc.constantFrom<BrowserHeaders["origin"]>("none", "same-site-fetch") },
    { weight: 1, arbitrary: fc.oneof(anyString, fc.constantFrom("null", "http://evil.example", "http://localhost:3000/", "HTTP://LOCALHOST:3000")).map((raw) => ({ raw })) },
  ),
});
