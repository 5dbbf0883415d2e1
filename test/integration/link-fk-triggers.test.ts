/**
 * drizzle/0006: link events and retired refresh digests have no foreign keys (their checks locked
 * the user and link rows on every rotation and confirmation); triggers keep the cascades.
 */
import { sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditRepository } from "../../src/repositories/audit-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { databaseKinds } from "../support/databases.js";
import { openTransaction, stillWaiting } from "../support/open-transaction.js";
import { approveLink, confirm, postJson, refresh, registerPartner, type TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

type Partner = { clientId: string; secret: string };

describe.each(databaseKinds)("link events and retired refresh digests without foreign keys (%s)", (kind) => {
  const suite = partnerSuite(kind);
  let users = 0;


  const query = async <T>(q: SQL) => rowsOf<T>(await suite.tdb.database.db.execute(q));

  /** A new user with an active link to `via`, rotated once: three events (approved, confirmed, refreshed) and one retired digest. */
  async function linkedUser(externalUserId: string, via: Partner = suite.partner) {
    const { cookie, userId } = await signUp(suite.t.app, { email: `fk${++users}@example.com` });
    const { linkToken } = await approveLink(suite.t, cookie, { clientId: via.clientId, externalUserId });
    const first = (await (await confirm(suite.t, via, linkToken, externalUserId)).json()) as TokenBody;
    suite.clock.advance(1);
    const res = await refresh(suite.t, via, first.refresh_token, externalUserId);
    expect(res.status, await res.clone().text()).toBe(200);
    const second = (await res.json()) as TokenBody;
    const [link] = await query<{ id: string }>(sql`select id from user_integration where user_id = ${userId} and status = 'active'`);
    return { userId, linkId: link!.id, refreshToken: second.refresh_token };
  }

  const counts = (userId: string, linkId: string) =>
    query<{ events: number; retired: number; links: number }>(sql`
      select (select count(*)::int from link_event where user_id = ${userId}) as events,
             (select count(*)::int from retired_refresh_token where link_id = ${linkId}) as retired,
             (select count(*)::int from user_integration where id = ${linkId}) as links`);

  it("has no foreign key from link_event or retired_refresh_token, and the two cleanup triggers", async () => {
    const fks = await query<{ conname: string }>(sql`
      select conname from pg_constraint where contype = 'f' and conrelid in ('link_event'::regclass, 'retired_refresh_token'::regclass)`);
    expect(fks).toEqual([]);
    // Links still go with their user and their client: the retired-digest trigger fires on those cascades.
    const linkFks = await query<{ conname: string; confdeltype: string }>(sql`
      select conname, confdeltype from pg_constraint where contype = 'f' and conrelid = 'user_integration'::regclass order by 1`);
    expect(linkFks).toEqual([
      { conname: "user_integration_client_id_partner_client_client_id_fk", confdeltype: "c" },
      { conname: "user_integration_user_id_user_id_fk", confdeltype: "c" },
    ]);
    const triggers = await query<{ table: string; name: string; enabled: string }>(sql`
      select c.relname as table, t.tgname as name, t.tgenabled as enabled from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and t.tgname in ('user_delete_link_events', 'user_integration_delete_retired_refresh_tokens') order by 2`);
    expect(triggers).toEqual([
      { table: "user", name: "user_delete_link_events", enabled: "O" },
      { table: "user_integration", name: "user_integration_delete_retired_refresh_tokens", enabled: "O" },
    ]);
  });

  it("deleting a user deletes their link events and their links' retired refresh digests, and nobody else's", async () => {
    const gone = await linkedUser("kb-fk-gone");
    const kept = await linkedUser("kb-fk-kept");
    // An event of no user (an unknown client) is not anybody's history.
    await postJson(suite.t, "/api/integration/refresh-token", { client_id: "nobody", client_secret: "x".repeat(40), refresh_token: "r", external_user_id: "kb" });
    const anonymous = async () => (await query<{ n: number }>(sql`select count(*)::int as n from link_event where user_id is null`))[0]!.n;
    const before = await anonymous();
    expect(before).toBeGreaterThan(0);
    expect(await counts(gone.userId, gone.linkId)).toEqual([{ events: 3, retired: 1, links: 1 }]);

    await suite.tdb.database.db.execute(sql`delete from "user" where id = ${gone.userId}`);
    expect(await counts(gone.userId, gone.linkId)).toEqual([{ events: 0, retired: 0, links: 0 }]);
    expect(await counts(kept.userId, kept.linkId)).toEqual([{ events: 3, retired: 1, links: 1 }]);
    expect(await anonymous()).toBe(before);
  });

  it("an event written on its own for a user who no longer exists is dropped (no foreign key refuses it now)", async () => {
    const { userId } = await signUp(suite.t.app, { email: `fk-audit${++users}@example.com` });
    const audit = auditRepository(suite.tdb.database.db);
    const event = (id: string, user: string) => ({ id, at: new Date(), event: "link_revoked", userId: user, clientId: suite.partner.clientId, ip: "127.0.0.1", detail: "by user" });
    await audit.insert(event(`ev-kept-${users}`, userId));
    await audit.insert(event(`ev-dropped-${users}`, "no-such-user"));
    const rows = await query<{ id: string; user_id: string; detail: string }>(sql`select id, user_id, detail from link_event where id in (${`ev-kept-${users}`}, ${`ev-dropped-${users}`})`);
    expect(rows).toEqual([{ id: `ev-kept-${users}`, user_id: userId, detail: "by user" }]);
  });

  it("removing a suite.partner client deletes its links' retired refresh digests; the users' events stay", async () => {
    const removed = await registerPartner(suite.t, { clientId: "fk-removed-suite.partner" });
    const via = await linkedUser("kb-fk-client", removed);
    const other = await linkedUser("kb-fk-other");
    expect(await suite.t.deps.services.clients.remove("fk-removed-suite.partner")).toBe(true); // `npm run cli -- clients remove`
    expect(await counts(via.userId, via.linkId)).toEqual([{ events: 3, retired: 0, links: 0 }]);
    expect(await counts(other.userId, other.linkId)).toEqual([{ events: 3, retired: 1, links: 1 }]);
  });

  it("the link-token lookup still uses the (now partial) unique index, with a generic plan too", async () => {
    const [index] = await query<{ def: string }>(sql`select indexdef as def from pg_indexes where indexname = 'user_integration_link_token_idx'`);
    expect(index!.def).toMatch(/^CREATE UNIQUE INDEX .* WHERE \(link_token_digest IS NOT NULL\)$/);
    // The pending-link lookup of ACTIVATE_WITH_LINK_TOKEN (src/repositories/link-repository.ts), as
    // a prepared statement planned without its parameters' values (prepared statements go generic).
    const plan = await suite.tdb.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare fk_pending_lookup(bytea, text, text, timestamptz) as
        select id, user_id, external_user_id from user_integration
        where link_token_digest = $1 and status = 'pending' and client_id = $2
          and ($3::text is null or external_user_id = $3) and link_token_expires_at > $4
        for update`));
      const explained = await tx.execute(sql.raw(`explain execute fk_pending_lookup('\\x${"07".repeat(32)}', 'karabast', 'kb', now())`));
      await tx.execute(sql`deallocate fk_pending_lookup`);
      return rowsOf<{ "QUERY PLAN": string }>(explained)
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    });
    expect(plan).toMatch(/Index Scan using user_integration_link_token_idx on user_integration/);
    expect(plan).toMatch(/Index Cond: \(link_token_digest = \$1\)/);
  });

  it("user_integration pages keep 20% free, so a link's next row version fits on its page (0008)", async () => {
    const [rel] = await query<{ options: string[] | null }>(sql`select reloptions as options from pg_class where relname = 'user_integration'`);
    expect(rel!.options).toEqual(["fillfactor=80"]);
  });

  it("a link token digest is still unique among pending links", async () => {
    const a = await signUp(suite.t.app, { email: `fk${++users}@example.com` });
    const b = await signUp(suite.t.app, { email: `fk${++users}@example.com` });
    const digest = Buffer.alloc(32, 9);
    const pending = (id: string, userId: string) =>
      suite.tdb.database.db.execute(sql`
        insert into user_integration (id, user_id, client_id, integration, external_user_id, scopes, redirect_uri, status, link_token_digest)
        values (${id}, ${userId}, 'karabast', 'karabast', ${id}, '{}', 'https://karabast.example/', 'pending', ${digest})`);
    await pending("fk-dup-1", a.userId);
    await expect(pending("fk-dup-2", b.userId)).rejects.toThrow();
    await suite.tdb.database.db.execute(sql`delete from user_integration where id = 'fk-dup-1'`);
  });

  it.skipIf(kind !== "postgres")("a user deletion waits for a rotation in flight, then deletes its event and retired digest too", async () => {
    const me = await linkedUser("kb-fk-race");
    // What a rotation writes, not yet committed (the statement of another request).
    const inFlight = await openTransaction(suite.tdb.url!, async (tx) => {
      await tx`update user_integration set rotated_at = now() where id = ${me.linkId}`;
      await tx`insert into retired_refresh_token (digest, link_id, retired_at) values (${Buffer.alloc(32, 1)}, ${me.linkId}, now())`;
      await tx`insert into link_event (id, at, event, user_id, client_id, link_id) values ('fk-race-event', now(), 'token_refreshed', ${me.userId}, 'karabast', ${me.linkId})`;
    });
    try {
      const deletion = suite.tdb.database.db.execute(sql`delete from "user" where id = ${me.userId}`);
      expect(await stillWaiting(deletion)).toBe(true);
      await inFlight.commit();
      await deletion;
      expect(await counts(me.userId, me.linkId)).toEqual([{ events: 0, retired: 0, links: 0 }]);
    } finally {
      await inFlight.close();
    }
  });

  it.skipIf(kind !== "postgres")("a rotation arriving during a user deletion waits for it, then rotates nothing and writes no event for that user", async () => {
    const me = await linkedUser("kb-fk-late");
    const deletion = await openTransaction(suite.tdb.url!, (tx) => tx`delete from "user" where id = ${me.userId}`);
    try {
      const late = refresh(suite.t, suite.partner, me.refreshToken, "kb-fk-late");
      expect(await stillWaiting(late)).toBe(true);
      await deletion.commit();
      const res = await late;
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_grant");
      expect(await counts(me.userId, me.linkId)).toEqual([{ events: 0, retired: 0, links: 0 }]);
    } finally {
      await deletion.close();
    }
  });
});
