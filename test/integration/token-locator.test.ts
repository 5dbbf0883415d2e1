/**
 * Tokens found by their link's locator (drizzle/0009, src/domain/tokens/token-vault.ts): a
 * rotation changes no indexed column, so PostgreSQL rewrites the row in place (HOT), and tokens
 * issued before locators keep working where the request names the external user.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { sql, TransactionRollbackError, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.js";
import { statementEvent } from "../../src/domain/audit/audit-log.js";
import { tokenLocator } from "../../src/domain/tokens/token-vault.js";
import { linkRepository } from "../../src/repositories/link-repository.js";
import { presentedLocator } from "../../src/repositories/presented-locator.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { databaseKinds } from "../support/databases.js";
import { approveLink, confirm, postJson, refresh, type TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

/** Every column the rotation statement writes, except the locator, which it sets to the value the row has. */
const ROTATED_COLUMNS = [
  "access_token_digest", "access_token_ciphertext", "access_token_expires_at",
  "refresh_token_digest", "refresh_token_ciphertext", "refresh_token_expires_at",
  "previous_refresh_token_digest", "previous_access_token_digest", "previous_access_token_expires_at",
  "rotated_at", "last_used_at",
];

const EXAMPLE = JSON.parse(readFileSync(new URL("../fixtures/karabast-game-result.example.json", import.meta.url), "utf8")) as {
  gameId: string;
  players: { data: { id: string; accessToken: string | null } }[];
};

describe.each(databaseKinds)("token locators (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let n = 0;

  const query = async <T>(q: SQL, db: Db = suite.tdb.database.db) => rowsOf<T>(await db.execute(q));

  /** A new player (one active link per Swubase user and client) linked to a new Karabast account. */
  async function linked() {
    const externalUserId = `kb-loc-${++n}`;
    const { cookie } = await signUp(suite.t.app, { email: `locator${n}@example.com` });
    const { linkToken } = await approveLink(suite.t, cookie, { clientId: suite.partner.clientId, externalUserId });
    const res = await confirm(suite.t, suite.partner, linkToken, externalUserId);
    expect(res.status).toBe(200);
    return { externalUserId, tokens: (await res.json()) as TokenBody };
  }

  const storedLocator = async (externalUserId: string) =>
    (await query<{ token_locator: string }>(sql`select token_locator from user_integration where external_user_id = ${externalUserId} and status = 'active'`))[0]?.token_locator;

  it("no index of user_integration covers a column a rotation changes", async () => {
    const covered = await query<{ index: string; def: string }>(sql`
      select i.relname as index, pg_get_indexdef(x.indexrelid) as def
      from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'user_integration'::regclass`);
    expect(covered.length).toBeGreaterThan(0);
    for (const { def } of covered) for (const column of ROTATED_COLUMNS) expect(def).not.toContain(column);
    expect(covered.map((c) => c.def).join("\n")).toMatch(/UNIQUE INDEX user_integration_token_locator_idx ON public\.user_integration USING btree \(token_locator\)/);
  });

  it("the locator lookup, with its fallback through the external user, is an index scan in a generic plan", async () => {
    // How the hot statements find a presented token's link (src/repositories/presented-locator.ts),
    // prepared and planned without its parameters' values, as prepared statements end up.
    const statement = new PgDialect().sqlToQuery(sql`select id from user_integration
      where token_locator = ${presentedLocator(sql`${sql.placeholder("l")}`, sql`${sql.placeholder("c")}`, sql`${sql.placeholder("e")}`)}`);
    const plan = await suite.tdb.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare locate_link as ${statement.sql}`));
      const explained = await tx.execute(sql.raw(`explain execute locate_link(null, 'karabast', 'kb')`));
      await tx.execute(sql`deallocate locate_link`);
      return rowsOf<{ "QUERY PLAN": string }>(explained).map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/Index Scan using user_integration_token_locator_idx on user_integration/);
    expect(plan).toMatch(/Index Cond: \(token_locator = COALESCE\(\$1, (\$0|\(InitPlan 1\)\.col1)\)\)/);
    // The fallback is an InitPlan, run only when the token has no locator, and an index scan too
    // (which of the client's active-link indexes depends on statistics this empty table lacks).
    expect(plan).toMatch(/InitPlan 1[\s\S]*Index Scan using user_integration_active_\w+_idx on user_integration/);
  });

  it("both tokens carry the link's locator, which rotations keep", async () => {
    const { externalUserId, tokens } = await linked();
    const locator = await storedLocator(externalUserId);
    expect(locator).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(tokenLocator("access", tokens.access_token)).toBe(locator);
    expect(tokenLocator("refresh", tokens.refresh_token)).toBe(locator);
    const rotated = (await (await refresh(suite.t, suite.partner, tokens.refresh_token, externalUserId)).json()) as TokenBody;
    expect(tokenLocator("refresh", rotated.refresh_token)).toBe(locator);
    expect(await storedLocator(externalUserId)).toBe(locator);
    // Another link gets another locator.
    const other = await linked();
    expect(await storedLocator(other.externalUserId)).not.toBe(locator);
  });

  it("a rotation is a HOT update: the row is rewritten in place, no index gets an entry", async () => {
    const { externalUserId, tokens } = await linked();
    const locator = tokenLocator("refresh", tokens.refresh_token)!;
    const { vault, tokens: tokenService } = suite.t.deps.services;
    await suite.tdb.database.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const counts = async () =>
        (await query<{ updated: string; hot: string }>(
          sql`select pg_stat_get_xact_tuples_updated('user_integration'::regclass) as updated, pg_stat_get_xact_tuples_hot_updated('user_integration'::regclass) as hot`,
          db,
        ))[0]!;
      const before = await counts();
      const rotated = await linkRepository(db).rotateRefreshToken({
        locator,
        refreshTokenDigest: vault.digest(tokens.refresh_token),
        clientId: suite.partner.clientId,
        externalUserId,
        requiredScopes: null,
        now: suite.clock(),
        tokens: tokenService.issueTokenPair(suite.clock(), locator).stored,
        event: statementEvent("token_refreshed", { ip: null, userAgent: null }, suite.clock()),
      });
      expect(rotated).not.toBeNull();
      const after = await counts();
      expect(Number(after.updated) - Number(before.updated)).toBe(1);
      expect(Number(after.hot) - Number(before.hot)).toBe(1);
      tx.rollback();
    }).catch((err: unknown) => {
      if (!(err instanceof TransactionRollbackError)) throw err;
    });
  });

  it("refuses a token whose locator is another link's, a token without its locator, and garbage", async () => {
    const a = await linked();
    const b = await linked();
    // b's secret behind a's locator: the digest does not match on a's row.
    const forged = "swbr_" + tokenLocator("refresh", a.tokens.refresh_token)! + b.tokens.refresh_token.slice(21);
    for (const token of [forged, "swbr_" + b.tokens.refresh_token.slice(21), "swbr_" + "A".repeat(59), "swbr_", "garbage"]) {
      const res = await refresh(suite.t, suite.partner, token, b.externalUserId);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
    }
    // Both links still work.
    expect((await refresh(suite.t, suite.partner, a.tokens.refresh_token, a.externalUserId)).status).toBe(200);
    expect((await refresh(suite.t, suite.partner, b.tokens.refresh_token, b.externalUserId)).status).toBe(200);
  });

  describe("tokens issued before locators (as migration 0009 leaves an active link)", () => {
    /** A link whose current tokens have the old format: prefix and secret, no locator. */
    async function legacyLink() {
      const { externalUserId } = await linked();
      const { vault } = suite.t.deps.services;
      const refreshToken = "swbr_" + randomBytes(32).toString("base64url");
      const accessToken = "swba_" + randomBytes(32).toString("base64url");
      await suite.tdb.database.db.execute(sql`
        update user_integration set
          refresh_token_digest = ${vault.digest(refreshToken)}, refresh_token_ciphertext = ${vault.encrypt(refreshToken)},
          access_token_digest = ${vault.digest(accessToken)}, access_token_ciphertext = ${vault.encrypt(accessToken)}
        where external_user_id = ${externalUserId} and status = 'active'`);
      return { externalUserId, refreshToken, accessToken };
    }

    it("a refresh naming the external user rotates it into tokens with the link's locator; a retry in the grace window gets the same pair", async () => {
      const old = await legacyLink();
      const res = await refresh(suite.t, suite.partner, old.refreshToken, old.externalUserId);
      expect(res.status, await res.clone().text()).toBe(200);
      const fresh = (await res.json()) as TokenBody;
      const locator = await storedLocator(old.externalUserId);
      expect(tokenLocator("refresh", fresh.refresh_token)).toBe(locator);
      expect(tokenLocator("access", fresh.access_token)).toBe(locator);
      const retry = (await (await refresh(suite.t, suite.partner, old.refreshToken, old.externalUserId)).json()) as TokenBody;
      expect(retry.refresh_token).toBe(fresh.refresh_token);
      expect((await refresh(suite.t, suite.partner, fresh.refresh_token, old.externalUserId)).status).toBe(200);
    });

    it("is refused for another external user, and by the calls that name none (introspection, userinfo)", async () => {
      const old = await legacyLink();
      const other = await linked();
      expect((await refresh(suite.t, suite.partner, old.refreshToken, other.externalUserId)).status).toBe(400);
      expect(await suite.t.deps.services.tokens.userinfo(old.accessToken)).toBeNull();
      // The link was not harmed by the refused attempt.
      expect((await refresh(suite.t, suite.partner, old.refreshToken, old.externalUserId)).status).toBe(200);
    });

    it("a game result attributes the player by an access token without a locator", async () => {
      const old = await legacyLink();
      const data = structuredClone(EXAMPLE);
      data.gameId = `locator-game-${n}`;
      data.players[0]!.data.id = old.externalUserId;
      data.players[0]!.data.accessToken = old.accessToken;
      data.players[1]!.data.accessToken = null;
      const res = await postJson(suite.t, "/api/integration/karabast/game-result", { integration: "karabast", client_id: suite.partner.clientId, client_secret: suite.partner.secret, data });
      expect(res.status, await res.clone().text()).toBe(200);
      const seats = await query<{ seat: number; attribution: string }>(
        sql`select s.seat, s.attribution from game_seat s join game g on g.id = s.game_id where g.game_id = ${data.gameId} order by s.seat`,
      );
      expect(seats.map((s) => s.attribution)).toEqual(["linked", "no_token"]);
    });
  });
});

describe("migration 0009", () => {
  it("gives every active link a locator, and no other link", async () => {
    const folder = new URL("../../drizzle/", import.meta.url);
    const files = readdirSync(folder).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
    const apply = async (db: PGlite, file: string) => {
      for (const statement of readFileSync(new URL(file, folder), "utf8").split("--> statement-breakpoint")) if (statement.trim()) await db.exec(statement);
    };
    const db = new PGlite();
    try {
      for (const file of files.filter((f) => f < "0009")) await apply(db, file);
      await db.exec(`
        insert into "user" (id, name, email, email_verified, created_at, updated_at) values ('u1', 'U', 'u1@example.com', false, now(), now()), ('u2', 'U', 'u2@example.com', false, now(), now());
        insert into partner_client (client_id, name, integration, secret_digests, redirect_uris, scopes)
          values ('karabast', 'Karabast', 'karabast', '{x}', '{https://k.example/cb}', '{decks}');
        insert into user_integration (id, user_id, client_id, integration, external_user_id, scopes, redirect_uri, status, access_token_digest, refresh_token_digest)
          values ('active-1', 'u1', 'karabast', 'karabast', 'kb-1', '{decks}', 'https://k.example/cb', 'active', '\\x01', '\\x02'),
                 ('active-2', 'u2', 'karabast', 'karabast', 'kb-2', '{decks}', 'https://k.example/cb', 'active', '\\x03', '\\x04'),
                 ('pending-1', 'u1', 'karabast', 'karabast', 'kb-1', '{decks}', 'https://k.example/cb', 'pending', null, null),
                 ('revoked-1', 'u2', 'karabast', 'karabast', 'kb-2', '{decks}', 'https://k.example/cb', 'revoked', null, null);`);
      for (const file of files.filter((f) => f >= "0009")) await apply(db, file);
      const rows = (await db.query<{ id: string; token_locator: string | null; refresh_token_digest: Uint8Array | null }>("select id, token_locator, refresh_token_digest from user_integration order by id")).rows;
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId["active-1"]!.token_locator).toMatch(/^[0-9a-f]{16}$/);
      expect(byId["active-2"]!.token_locator).toMatch(/^[0-9a-f]{16}$/);
      expect(byId["active-1"]!.token_locator).not.toBe(byId["active-2"]!.token_locator);
      expect(byId["pending-1"]!.token_locator).toBeNull();
      expect(byId["revoked-1"]!.token_locator).toBeNull();
      // The digests are kept: the links' current tokens are still checked against them.
      expect(Buffer.from(byId["active-1"]!.refresh_token_digest!).toString("hex")).toBe("02");
    } finally {
      await db.close();
    }
  });
});
