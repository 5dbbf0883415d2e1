/**
 * The pool counters patched into postgres.js (`sql.poolStats()`, patches/README.md) that the
 * metrics read: present in the installed package, and moving as connections are asked for.
 */
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { readPoolStats } from "../../src/db/database.js";

describe("postgres.js poolStats (patched)", () => {
  it("counts the pool's slots, and a query waiting for a connection that cannot open", async () => {
    // Nothing listens on port 1: the connection attempt fails, and the query with it.
    const sql = postgres("postgres://nobody@127.0.0.1:1/none", { max: 3, connect_timeout: 1, onnotice: () => {} });
    try {
      expect(sql.poolStats()).toEqual({ max: 3, connecting: 0, idle: 0, busy: 0, full: 0, reserved: 0, closed: 3, waiting: 0 });
      expect(readPoolStats("primary", sql)).toEqual({ pool: "primary", max: 3, inUse: 0, idle: 0, waiting: 0 });
      const query = sql`select 1`.catch((err: unknown) => err);
      await new Promise((resolve) => setImmediate(resolve));
      const during = sql.poolStats();
      expect(during.connecting + during.closed).toBe(3);
      expect(during.connecting).toBe(1);
      expect(await query).toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await sql.end({ timeout: 0 });
    }
  });
});
