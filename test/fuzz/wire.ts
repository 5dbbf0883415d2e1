/**
 * From generated specs to what goes on the wire: JSON text (duplicate keys, `__proto__`, raw
 * number literals), truncated or junk-suffixed JSON, UTF-16, invalid UTF-8, form and multipart
 * bodies, query strings with broken escapes, and Authorization headers. References to live
 * credentials and tokens are resolved here, when the request is built.
 */
import { Obj, Raw, Ref, type AuthHeader, type BodySpec, type J, type QueryPair, type RefName } from "./arbitraries.js";

export type Resolve = (name: RefName) => string;

function renderJson(v: J, resolve: Resolve): string {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return JSON.stringify(v);
  if (v instanceof Raw) return v.text;
  if (v instanceof Ref) return JSON.stringify(resolve(v.name));
  if (Array.isArray(v)) return `[${v.map((x) => renderJson(x, resolve)).join(",")}]`;
  return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${renderJson(x, resolve)}`).join(",")}}`;
}

/** How a value looks as a form field or query value. */
function flat(v: J, resolve: Resolve): string {
  if (typeof v === "string") return v;
  if (v instanceof Ref) return resolve(v.name);
  if (v === null) return "";
  return renderJson(v, resolve);
}

/** Percent-encodes UTF-16 code units as WTF-8, so a lone surrogate becomes invalid UTF-8 (%ED%A0%80). */
export function percentEncode(s: string, mode: "strict" | "plus" | "raw"): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (cp >= 0xd800 && cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    const ch = String.fromCodePoint(cp);
    if (/[A-Za-z0-9\-._~]/.test(ch)) out += ch;
    else if (mode === "plus" && ch === " ") out += "+";
    else if (mode === "raw" && cp > 0x20 && cp < 0x7f && !"&=#%+".includes(ch)) out += ch;
    else out += [...wtf8(cp)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}
function wtf8(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82]];

/** The bytes (or text) sent for a body spec. */
export function renderBody(spec: BodySpec, resolve: Resolve): string | Uint8Array {
  const json = () => renderJson(spec.value, resolve);
  const cut = (s: string) => s.slice(0, Math.floor(s.length * spec.at));
  switch (spec.encoding) {
    case "json":
      return json();
    case "truncated":
      return cut(json());
    case "junk-after":
      return json() + spec.junk;
    case "utf16":
      return new Uint8Array(Buffer.concat([spec.at < 0.5 ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(json(), "utf16le")]));
    case "invalid-utf8": {
      const bytes = Buffer.from(json(), "utf8");
      const at = Math.floor(bytes.length * spec.at);
      return new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(INVALID_UTF8[at % INVALID_UTF8.length]!), bytes.subarray(at)]));
    }
    case "form":
      return formEncode(spec.value, resolve, spec.junk);
    case "multipart":
      return `--fuzz\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n${spec.junk}\r\n--fuzz\r\nContent-Disposition: form-data; name="data"\r\n\r\n${cut(json())}\r\n--fuzz--`;
    case "text":
      return cut(json()) + spec.junk;
    case "empty":
      return "";
  }
}

/** Top-level members as form fields (repeated keys stay repeated); anything else as one junk field. */
function formEncode(v: J, resolve: Resolve, junk: string): string {
  const entries = v instanceof Obj ? v.entries : [["data", v] as [string, J]];
  const mode = junk.length % 3 === 0 ? "strict" : junk.length % 3 === 1 ? "plus" : "raw";
  const parts = entries.map(([k, x]) => `${percentEncode(k, mode)}=${percentEncode(flat(x, resolve), mode)}`);
  if (junk === "&&=&%zz") parts.push(junk);
  return parts.join("&");
}

export function renderQuery(q: { pairs: QueryPair[]; mode: "strict" | "plus" | "raw"; broken: string }, resolve: Resolve): string {
  const parts = q.pairs.map(([k, v]) => `${percentEncode(k, q.mode)}=${percentEncode(flat(v, resolve), q.mode)}`);
  if (q.broken) parts.push(q.broken);
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Header values must be ByteStrings without NUL/CR/LF to be sendable at all. */
export const headerSafe = (s: string) =>
  [...s]
    .filter((ch) => ch !== "\0" && ch !== "\r" && ch !== "\n")
    .map((ch) => (ch.charCodeAt(0) > 0xff ? "?" : ch))
    .join("");

const basicOf = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
export function renderAuthHeader(h: AuthHeader, resolve: Resolve, real: { clientId: string; secret: string }): string | null {
  switch (h.kind) {
    case "none":
      return null;
    case "basic-real":
      return basicOf(encodeURIComponent(real.clientId), encodeURIComponent(real.secret));
    case "basic":
      return basicOf(h.id, h.secret);
    case "bearer":
      return headerSafe(`Bearer ${flat(h.token, resolve)}`);
    case "raw":
      return headerSafe(h.value);
  }
}

