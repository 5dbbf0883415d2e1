/** Housekeeping (issues 12 and 13): expired rows are pruned in bounded batches, live ones stay. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createHousekeeping } from "../../src/domain/housekeeping/housekeeping.js";
import { housekeepingRepository } from "../../src/repositories/housekeeping-repository.js";
import { rowsOf } from "../../src/repositories/rows.js";
import { databaseKinds } from "../support/databases.js";
import { approveLink, confirm, refresh, type TokenBody } from "../support/link-helpers.js";
import { partnerSuite } from "../support/partner-suite.js";
import { signUp } from "../support/test-app.js";

const DAY = 24 * 3600;

describe.each(databaseKinds)("housekeeping (%s)", (kind) => {
  const suite = partnerSuite(kind);
  const count = async (table: string) =>
    rowsOf<{ n: number }>(await suite.tdb.database.db.execute(sql`select count(*)::int as n from ${sql.raw(`"${table}"`)}`))[0]!.n;

  it("prunes expired token pairs, approvals and rate-limit counters in batches, and keeps everything still usable", async () => {
    const { t, partner, clock } = suite;
    const db = suite.tdb.database.db;
    const { cookie } = await signUp(t.app, { email: "housekeeping@example.com" });
    const { linkToken } = await approveLink(t, cookie, { clientId: partner.clientId, externalUserId: "kb-hk" });
    let pair = (await (await confirm(t, partner, linkToken, "kb-hk")).json()) as TokenBody;
    // Five rotations now (their pairs are retired now), then the refresh-token lifetime passes less a day.
    for (let i = 0; i < 5; i++) pair = (await (await refresh(t, partner, pair.refresh_token, "kb-hk")).json()) as TokenBody;
    const { cookie: idle } = await signUp(t.app, { email: "idle@example.com" });
    await approveLink(t, idle, { clientId: partner.clientId, externalUserId: "kb-never-confirmed" });
    const refreshTtl = t.deps.config.tokens.refreshTokenTtlSeconds;
    clock.advance(refreshTtl - DAY);
    // Rate-limit counters on the fake clock's time line (the app's own are in memory in tests, or none).
    const at = (offsetSeconds: number) => new Date(clock().getTime() + offsetSeconds * 1000).toISOString();
    await db.execute(sql`delete from rate_limit`);
    await db.execute(sql`insert into rate_limit (key, points, expire) select 'k' || i, 1, ${at(DAY - 60)}::timestamptz from generate_series(1, 25) i`);
    await db.execute(sql`insert into rate_limit (key, points, expire) values ('live', 1, ${at(DAY + 3600)}::timestamptz)`);
    // Two more rotations: these retired pairs are young.
    for (let i = 0; i < 2; i++) pair = (await (await refresh(t, partner, pair.refresh_token, "kb-hk")).json()) as TokenBody;
    expect(await count("retired_refresh_token")).toBe(7);

    clock.advance(DAY + 1);
    const housekeeping = createHousekeeping({ repo: housekeepingRepository(db), clock, refreshTokenTtlSeconds: refreshTtl, batchSize: 2, maxBatches: 100 });
    const counts = await housekeeping.runOnce();
    expect(counts).toEqual({ retiredTokens: 5, expiredPendingLinks: 1, expiredRateLimits: 25 });
    expect(await count("retired_refresh_token")).toBe(2);
    expect(rowsOf<{ key: string }>(await db.execute(sql`select key from rate_limit`))).toEqual([{ key: "live" }]);
    // The link still refreshes, and a second run finds nothing.
    expect((await refresh(t, partner, pair.refresh_token, "kb-hk")).status).toBe(200);
    expect(await housekeeping.runOnce()).toEqual({ retiredTokens: 0, expiredPendingLinks: 0, expiredRateLimits: 0 });
  });

  it("stops a run after maxBatches statements per kind and finishes on the next run", async () => {
    const db = suite.tdb.database.db;
    await db.execute(sql`delete from rate_limit`);
    const expired = new Date(suite.clock().getTime() - 60_000).toISOString();
    await db.execute(sql`insert into rate_limit (key, points, expire) select 'b' || i, 1, ${expired}::timestamptz from generate_series(1, 10) i`);
    const housekeeping = createHousekeeping({ repo: housekeepingRepository(db), clock: suite.clock, refreshTokenTtlSeconds: 3600, batchSize: 3, maxBatches: 2 });
    expect((await housekeeping.runOnce()).expiredRateLimits).toBe(6);
    expect((await housekeeping.runOnce()).expiredRateLimits).toBe(4);
  });
});
