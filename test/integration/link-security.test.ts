import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { userIntegration } from "../../src/db/schema.js";
import { reencryptStoredTokens } from "../../src/domain/tokens/reencrypt.js";
import { TokenVault } from "../../src/domain/tokens/token-vault.js";
import { linkRepository } from "../../src/repositories/link-repository.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { approveLink, confirm, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { buildTestApp, signUp, TEST_ENV, type TestApp } from "../support/test-app.js";

/** Every row of every table, as text. */
async function dumpAllTables(t: TestApp): Promise<string> {
  const db = t.deps.database.db;
  const tables = await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`);
  const names = (Array.isArray(tables) ? tables : (tables as { rows: { table_name: string }[] }).rows).map((r: { table_name: string }) => r.table_name);
  let dump = "";
  for (const name of names) {
    const rows = await db.execute(sql.raw(`select * from "${name}"`));
    dump += JSON.stringify(Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows, (_k, v: unknown) =>
      v && typeof v === "object" && "type" in v && (v as { type: string }).type === "Buffer" ? "<bytes>" : v,
    );
  }
  return dump;
}

describe.each(databaseKinds)("token storage and secrecy (%s)", (kind) => {
  let tdb: TestDatabase;
  let t: TestApp;
  let cookie: string;
  let partner: { clientId: string; secret: string };

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    t = buildTestApp(tdb.database);
    partner = await registerPartner(t);
    ({ cookie } = await signUp(t.app, { email: "secret@example.com", password: "a very secret password" }));
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("after a full flow, no table and no log line holds a plaintext token or secret", async () => {
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-s" });
    const first = (await (await confirm(t, partner, linkToken, "kb-s")).json()) as TokenBody;
    const second = (await (await refresh(t, partner, first.refresh_token, "kb-s")).json()) as TokenBody;
    const secrets = [partner.secret, linkToken, first.access_token, first.refresh_token, second.access_token, second.refresh_token, "a very secret password"];
    const dump = await dumpAllTables(t);
    expect(dump).toContain("v1."); // the ciphertexts are there
    const logs = t.logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    for (const s of secrets) {
      expect(dump).not.toContain(s);
      expect(logs).not.toContain(s);
      // nor the random part without its prefix
      expect(dump).not.toContain(s.slice(5));
    }
  });

  it("a tampered stored token is rejected, never handed out", async () => {
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-t" });
    const first = (await (await confirm(t, partner, linkToken, "kb-t")).json()) as TokenBody;
    const second = (await (await refresh(t, partner, first.refresh_token, "kb-t")).json()) as TokenBody;
    // Flip one character of the stored ciphertext of the current access token.
    await t.deps.database.db.execute(sql`
      update user_integration
      set access_token_ciphertext = overlay(access_token_ciphertext placing (case when substr(access_token_ciphertext, 20, 1) = 'A' then 'B' else 'A' end) from 20 for 1)
      where external_user_id = 'kb-t' and status = 'active'`);
    // The grace path would decrypt it to return the same pair: it must refuse instead.
    const retry = await refresh(t, partner, first.refresh_token, "kb-t");
    expect(retry.status).toBe(400);
    expect(((await retry.json()) as { error: string }).error).toBe("invalid_grant");
    // The current refresh token is still found by its digest and rotates normally.
    expect((await refresh(t, partner, second.refresh_token, "kb-t")).status).toBe(200);
  });

  it("keys rotate re-encrypts every stored token under the new key, and the old key can then go", async () => {
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-k" });
    const tokens = (await (await confirm(t, partner, linkToken, "kb-k")).json()) as TokenBody;
    const oldKey = Buffer.from(TEST_ENV.TOKEN_ENCRYPTION_KEY, "hex");
    const newKey = Buffer.alloc(32, 0x5a);
    newKey[0] = 1;
    const hashKey = Buffer.from(TEST_ENV.TOKEN_HASH_KEY, "hex");
    const rotating = new TokenVault({ encryptionKey: newKey, previousEncryptionKeys: [oldKey], hashKey });
    const repo = linkRepository(t.deps.database.db);
    const result = await reencryptStoredTokens(repo, rotating, 2);
    expect(result.reencrypted).toBeGreaterThan(0);
    const again = await reencryptStoredTokens(repo, rotating, 2);
    expect(again.reencrypted).toBe(0);
    // Only the new key is needed now.
    const onlyNew = new TokenVault({ encryptionKey: newKey, hashKey });
    const rows = await t.deps.database.db.select({ c: userIntegration.accessTokenCiphertext }).from(userIntegration).where(sql`external_user_id = 'kb-k'`);
    expect(onlyNew.decrypt(rows[0]!.c!)).toBe(tokens.access_token);
  });
});
