/**
 * For the group-commit property tests (src/repositories/batching): two PostgreSQL databases with
 * the same partners, one where operations run batched and concurrently, one where the same
 * operations are replayed one by one to find a serial order that explains what the batch did.
 */
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createServices, type Services } from "../../src/services.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./databases.js";
import { fakeClock, testConfig } from "./test-app.js";
import type { TokenResponse } from "../../src/domain/tokens/token-service.js";
import { tokenLocator } from "../../src/domain/tokens/token-vault.js";

export const postgresAvailable = databaseKinds.includes("postgres");
if (!postgresAvailable) console.warn("group-commit property tests skipped: TEST_DATABASE_URL is not set (batching is PostgreSQL's)");

export const PARTNERS = [
  { clientId: "karabast", name: "Karabast", integration: "karabast", redirectUris: ["https://karabast.example/cb"], scopes: ["decks", "email", "profile", "teams"] },
  { clientId: "other", name: "Other", integration: "karabast", redirectUris: ["https://other.example/cb"], scopes: ["decks", "email", "profile", "teams"] },
] as const;

export interface BatchingPair {
  batched: Database;
  serial: Database;
  /** Unbatched services on the serial database (the reference behaviour). */
  serialServices: Services;
  clock: ReturnType<typeof fakeClock>;
  config: ReturnType<typeof testConfig>;
}

/** Call inside a `describe`: the pair is filled in before the first test. */
export function batchingPair(): BatchingPair {
  const pair = { clock: fakeClock(), config: testConfig() } as BatchingPair;
  const dbs: TestDatabase[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTestDatabase("postgres"));
    pair.batched = dbs[0]!.database;
    pair.serial = dbs[1]!.database;
    for (const database of [pair.batched, pair.serial]) {
      const services = createServices({ config: pair.config, db: database.db, clock: pair.clock });
      for (const p of PARTNERS) await services.clients.register({ ...p, redirectUris: [...p.redirectUris], scopes: [...p.scopes] });
    }
    pair.serialServices = createServices({ config: pair.config, db: pair.serial.db, clock: pair.clock });
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });
  return pair;
}

/** A request's answer in the batching property tests: the token pair, or the error it got. */
export type TokenAnswer = { ok: TokenResponse } | { error: string };

/**
 * Each answer in `order`, with its tokens (and their locators) by name: the names `names` already
 * holds (the seeded ones), new ones after the first request that received them. Adds the new
 * names to `names`, so the database's rows can be named the same way.
 */
export function nameTokenAnswers(names: Map<string, string>, order: number[], answers: Map<number, TokenAnswer>): string[] {
  const answered: string[] = [];
  for (const i of order) {
    const a = answers.get(i)!;
    if ("error" in a) {
      answered.push(`${i}: ${a.error}`);
      continue;
    }
    for (const [k, token] of [["access", a.ok.access_token], ["refresh", a.ok.refresh_token]] as const) {
      if (!names.has(token)) names.set(token, `op${i}.${k}`);
      const loc = tokenLocator(k, token);
      if (loc && !names.has(loc)) names.set(loc, `op${i}.locator`);
    }
    answered.push(`${i}: ${names.get(a.ok.access_token)} ${names.get(a.ok.refresh_token)} ${a.ok.scope} ${a.ok.expires_in} ${a.ok.refresh_token_expires_in}`);
  }
  return answered;
}

/**
 * Depth-first search for a serial order of `members` that explains a batch, replayed inside the
 * serial database's transaction `tx`: a savepoint per step, `step(i, order)` replays member `i`
 * after `order` and says whether everything still matches (false prunes the branch: rolled back
 * to the savepoint), `complete(order)` judges a full order. True when some order is explained;
 * the caller rolls `tx` back at the end.
 */
export async function searchSerialOrder(
  tx: { execute(query: SQL): Promise<unknown> },
  members: readonly number[],
  step: (i: number, order: readonly number[]) => Promise<boolean>,
  complete: (order: readonly number[]) => Promise<boolean>,
): Promise<boolean> {
  const search = async (order: number[]): Promise<boolean> => {
    if (order.length === members.length) return complete(order);
    for (const i of members) {
      if (order.includes(i)) continue;
      await tx.execute(sql.raw(`savepoint step${order.length}`));
      if ((await step(i, order)) && (await search([...order, i]))) return true;
      await tx.execute(sql.raw(`rollback to savepoint step${order.length}`));
    }
    return false;
  };
  return search([]);
}

/** Runs every operation at once: the answers by index, and the indexes in completion order (the first serial order a search tries). */
export async function runAllAtOnce<T, A>(ops: readonly T[], run: (op: T, i: number) => Promise<A>): Promise<{ answers: Map<number, A>; completed: number[] }> {
  const answers = new Map<number, A>();
  const completed: number[] = [];
  await Promise.all(
    ops.map(async (op, i) => {
      answers.set(i, await run(op, i));
      completed.push(i);
    }),
  );
  return { answers, completed };
}
