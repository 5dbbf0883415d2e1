/**
 * The world the fuzzer runs in: one PGlite database with two partners (Karabast and a standard
 * OAuth client), two signed-in users, live pending and active links whose plaintext tokens are
 * kept in a pool (decrypted from the database, so the pool follows every state change), one
 * reported game for the stats endpoints, and a write log (row triggers on every table) that
 * attributes any database write to the one request that made it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../src/repositories/rows.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { registerPartner } from "../support/link-helpers.js";
import { buildTestApp, fakeClock, signUp, TEST_ORIGIN, type TestApp } from "../support/test-app.js";
import type { RefName } from "./arbitraries.js";

const KARABAST_REDIRECT = "https://karabast.example/api/swubase/callback";
const ACME_REDIRECT = "https://acme.example/cb";
const CODE_VERIFIER = "fuzz-verifier-0123456789-0123456789-0123456789-abc";
export const CODE_CHALLENGE = "uYrbKj6z5sr-oU3uk7BoDePgZJAP4nPK71XAKPG_zuk"; // base64url(sha256(CODE_VERIFIER)), checked below
const PASSWORD = "correct horse battery";
export const GAME_FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as Record<string, unknown>;

const UNREACHABLE_RATE_LIMITS = Object.fromEntries(
  ["PARTNER_PER_SECOND", "PARTNER_BURST", "PARTNER_INVALID_TOKENS_PER_MINUTE", "FAILED_AUTH_PER_MINUTE", "INVALID_TOKENS_PER_MINUTE", "UNAUTHENTICATED_PER_MINUTE", "LINK_CREATE_PER_MINUTE", "SIGN_IN_PER_15_MINUTES", "PUBLIC_NOT_FOUND_PER_15_MINUTES"].map((n) => [
    `RATE_LIMIT_${n}`,
    "1000000",
  ]),
);

export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}
export interface Write {
  tbl: string;
  op: string;
}

type Slot = { user: "a" | "b"; client: "karabast" | "acme"; status: "pending" | "active" };
const SLOTS: Slot[] = [
  { user: "a", client: "karabast", status: "active" },
  { user: "a", client: "karabast", status: "pending" },
  { user: "a", client: "acme", status: "active" },
  { user: "a", client: "acme", status: "pending" },
  { user: "b", client: "karabast", status: "active" },
];

export class World {
  private constructor(
    readonly tdb: TestDatabase,
    readonly t: TestApp,
    readonly karabast: { clientId: string; secret: string },
    readonly acme: { clientId: string; secret: string },
    readonly users: { a: { cookie: string; userId: string; email: string }; b: { cookie: string; userId: string } },
  ) {}

  private pool = new Map<RefName, string>();
  private counter = 0;
  private writeMark = 0;

  static async create(): Promise<World> {
    if (createHash("sha256").update(CODE_VERIFIER).digest("base64url") !== CODE_CHALLENGE) throw new Error("CODE_CHALLENGE does not match CODE_VERIFIER");
    const tdb = await createTestDatabase("pglite");
    // Rate limits stay on (their code and table are fuzzed too) with budgets no run exhausts.
    const t = buildTestApp(tdb.database, { clock: fakeClock(), env: UNREACHABLE_RATE_LIMITS });
    const karabast = await registerPartner(t, { redirectUris: [KARABAST_REDIRECT] });
    const acme = await t.deps.services.clients.register({ clientId: "acme", name: "Acme", integration: "acme", redirectUris: [ACME_REDIRECT], scopes: ["profile", "email", "decks", "stats"] });
    const a = { ...(await signUp(t.app, { email: "fuzz-a@example.com", password: PASSWORD })), email: "fuzz-a@example.com" };
    const b = await signUp(t.app, { email: "fuzz-b@example.com", password: PASSWORD });
    const world = new World(tdb, t, karabast, acme, { a, b });
    await world.resync();
    // One attributed game, so the stats endpoints have rows to group.
    const game = structuredClone(GAME_FIXTURE) as { players: { data: { id: string; accessToken: string | null } }[] };
    game.players[0]!.data.id = world.resolve("externalUserId");
    game.players[0]!.data.accessToken = world.resolve("accessToken");
    game.players[1]!.data.accessToken = null;
    const res = await t.app.request("/api/integration/karabast/game-result", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: karabast.clientId, client_secret: karabast.secret, integration: "karabast", data: game }),
    });
    if (res.status !== 200) throw new Error(`seed game: ${res.status} ${await res.text()}`);
    await world.installWriteLog();
    return world;
  }

  close() {
    return this.tdb.drop();
  }

  resolve = (name: RefName): string => {
    if (name === "fresh") return `fuzz-${++this.counter}`;
    if (name === "freshEmail") return `fuzz-${++this.counter}@example.com`;
    if (name === "email") return this.users.a.email;
    if (name === "password") return PASSWORD;
    const value = this.pool.get(name);
    if (value === undefined) throw new Error(`no ${name} in the pool`);
    return value;
  };

  // ---------------------------------------------------------------- live links
  private query<T>(q: Parameters<TestApp["deps"]["database"]["db"]["execute"]>[0]) {
    return this.t.deps.database.db.execute(q).then((r) => rowsOf<T>(r));
  }

  private async liveLinks() {
    return this.query<{ id: string; user_id: string; client_id: string; status: string; external_user_id: string; link_token_ciphertext: string | null; access_token_ciphertext: string | null; refresh_token_ciphertext: string | null }>(
      sql`select id, user_id, client_id, status, external_user_id, link_token_ciphertext, access_token_ciphertext, refresh_token_ciphertext
          from user_integration where status in ('pending', 'active') and user_id in (${this.users.a.userId}, ${this.users.b.userId})`,
    );
  }

  private async createSlot(slot: Slot) {
    const { services } = this.t.deps;
    const client = slot.client === "karabast" ? this.karabast : this.acme;
    const userId = slot.user === "a" ? this.users.a.userId : this.users.b.userId;
    const externalUserId = slot.client === "karabast" ? `kb-${slot.user}-${++this.counter}` : undefined;
    const pkce = slot.client === "acme" ? { codeChallenge: CODE_CHALLENGE, codeChallengeMethod: "S256" } : {};
    const { linkToken } = await services.links.createLink({ clientId: client.clientId, externalUserId, userId, ...pkce });
    if (slot.status === "active") {
      const found = await services.clients.find(client.clientId);
      await services.tokens.consumeLinkToken({ client: found!, linkToken, externalUserId: externalUserId ?? null, codeVerifier: slot.client === "acme" ? CODE_VERIFIER : null });
    }
  }

  /** Recreates whatever a case used up (an active link first: creating one replaces the pending one), then refills the pool. */
  async resync() {
    const { vault } = this.t.deps.services;
    for (const status of ["active", "pending"] as const) {
      const live = await this.liveLinks();
      for (const slot of SLOTS.filter((s) => s.status === status)) {
        const userId = slot.user === "a" ? this.users.a.userId : this.users.b.userId;
        if (!live.some((l) => l.user_id === userId && l.client_id === slot.client && l.status === status)) await this.createSlot(slot);
      }
    }
    const live = await this.liveLinks();
    const pick = (user: "a" | "b", client: string, status: string) => {
      const userId = user === "a" ? this.users.a.userId : this.users.b.userId;
      return live.find((l) => l.user_id === userId && l.client_id === client && l.status === status)!;
    };
    const ka = pick("a", "karabast", "active");
    const kp = pick("a", "karabast", "pending");
    const aa = pick("a", "acme", "active");
    const ap = pick("a", "acme", "pending");
    const kb = pick("b", "karabast", "active");
    const set = (name: RefName, v: string | null) => v !== null && this.pool.set(name, v);
    set("clientId", this.karabast.clientId);
    set("clientSecret", this.karabast.secret);
    set("oauthClientId", this.acme.clientId);
    set("oauthClientSecret", this.acme.secret);
    set("redirectUri", KARABAST_REDIRECT);
    set("oauthRedirectUri", ACME_REDIRECT);
    set("codeVerifier", CODE_VERIFIER);
    set("linkToken", vault.decrypt(kp.link_token_ciphertext!));
    set("pendingExternalUserId", kp.external_user_id);
    set("oauthCode", vault.decrypt(ap.link_token_ciphertext!));
    set("accessToken", vault.decrypt(ka.access_token_ciphertext!));
    set("refreshToken", vault.decrypt(ka.refresh_token_ciphertext!));
    set("externalUserId", ka.external_user_id);
    set("linkId", ka.id);
    set("oauthAccessToken", vault.decrypt(aa.access_token_ciphertext!));
    set("oauthRefreshToken", vault.decrypt(aa.refresh_token_ciphertext!));
    set("otherAccessToken", vault.decrypt(kb.access_token_ciphertext!));
    set("otherExternalUserId", kb.external_user_id);
    set("otherLinkId", kb.id);
    this.writeMark = await this.currentWriteMark();
  }

  // ---------------------------------------------------------------- write log and digest
  private async installWriteLog() {
    await this.query(sql`create table fuzz_write_log (id bigserial primary key, tbl text not null, op text not null)`);
    await this.query(sql.raw(`create function fuzz_log_write() returns trigger language plpgsql as $$
      begin insert into fuzz_write_log (tbl, op) values (TG_TABLE_NAME, TG_OP); return null; end $$`));
    for (const name of await this.tables()) {
      if (name === "fuzz_write_log") continue;
      await this.query(sql.raw(`create trigger fuzz_audit after insert or update or delete on "${name}" for each row execute function fuzz_log_write()`));
    }
    this.writeMark = await this.currentWriteMark();
  }

  private async tables(): Promise<string[]> {
    const rows = await this.query<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
    return rows.map((r) => r.table_name);
  }

  private async currentWriteMark(): Promise<number> {
    const [row] = await this.query<{ n: string | number | null }>(sql`select coalesce(max(id), 0) as n from fuzz_write_log`).catch(() => [{ n: 0 }]);
    return Number(row?.n ?? 0);
  }

  /** Writes since the last call (or resync). */
  async takeWrites(): Promise<Write[]> {
    const rows = await this.query<{ id: string | number; tbl: string; op: string }>(sql`select id, tbl, op from fuzz_write_log where id > ${this.writeMark} order by id`);
    if (rows.length) this.writeMark = Number(rows.at(-1)!.id);
    return rows.map(({ tbl, op }) => ({ tbl, op }));
  }

  /** A digest of every row of every table (but the excluded ones), in one statement. */
  async digest(exclude: string[]): Promise<string> {
    const names = (await this.tables()).filter((n) => n !== "fuzz_write_log" && !exclude.includes(n) && !/rate.?limit/i.test(n));
    const parts = names.map((n) => `select '${n}' as t, count(*)::text as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${n}" x`);
    const rows = await this.query<{ t: string; n: string; h: string }>(sql.raw(parts.join(" union all ")));
    return rows.map((r) => `${r.t}:${r.n}:${r.h}`).join("\n");
  }

  // ---------------------------------------------------------------- requests
  browserCookie(kind: "real" | "other-user" | "none" | "tampered" | { raw: string }): string | null {
    if (kind === "real") return this.users.a.cookie;
    if (kind === "other-user") return this.users.b.cookie;
    if (kind === "none") return null;
    if (kind === "tampered") return this.users.a.cookie.replace(/.(;|$)/, (m, end: string) => (m[0] === "A" ? "B" : "A") + end);
    return kind.raw;
  }

  /** Errors the server logged since log index `from` (the cause of a 5xx), compacted to one line each. */
  errorLogsSince(from: number): string[] {
    return this.t.logs.slice(from).flatMap((line) => {
      let entry: { level?: number; msg?: string; component?: string; err?: { type?: string; message?: string; cause?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return [line];
      }
      if ((entry.level ?? 0) < 50 || entry.msg === "request failed") return [];
      const err = entry.err ? ` ${entry.err.type}: ${String(entry.err.message).split("\n")[0]!.slice(0, 120)}${entry.err.cause ? ` | cause: ${entry.err.cause}` : ""}` : "";
      return [`${entry.component ? `[${entry.component}] ` : ""}${entry.msg}${err}`];
    });
  }

  async send(req: SentRequest, timeoutMs = 15_000): Promise<Response | "timeout"> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const init: RequestInit = { method: req.method, headers: req.headers };
    if (req.body !== undefined) init.body = req.body as BodyInit;
    try {
      return await Promise.race([Promise.resolve(this.t.app.request(req.path, init)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export { TEST_ORIGIN };

/** The exact request, printable: method, path, headers, and the body as JSON string or hex bytes. */
export function describeRequest(req: SentRequest, max = 4000): string {
  const clip = (s: string) => (s.length > max ? `${s.slice(0, max)}… (${s.length} chars in all)` : s);
  const body =
    req.body === undefined ? "" : typeof req.body === "string" ? `\nbody (JS string literal): ${clip(JSON.stringify(req.body))}` : `\nbody (hex bytes): ${clip(Buffer.from(req.body).toString("hex"))}`;
  return `${req.method} ${clip(req.path)}\nheaders: ${clip(JSON.stringify(req.headers))}${body}`;
}
