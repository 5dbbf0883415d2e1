/**
 * EXPLAIN (ANALYZE, BUFFERS, WAL) of the hot statements exactly as the app sends them: each
 * operation runs once through the real repository in a transaction that is rolled back, with a
 * drizzle logger capturing every statement and its parameters; the captured statements are then
 * replayed under EXPLAIN ANALYZE in order, in another rolled-back transaction. So the plans are of
 * the live benchmark database (after the load), warm, and nothing is left changed.
 */
import { randomUUID } from "node:crypto";
import { TransactionRollbackError } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../../src/db/database.js";
import * as schema from "../../src/db/schema.js";
import { generateToken, newTokenLocator, type TokenVault } from "../../src/domain/tokens/token-vault.js";
import { statementEvent } from "../../src/domain/audit/audit-log.js";
import { gameRepository } from "../../src/repositories/game-repository.js";
import { linkRepository } from "../../src/repositories/link-repository.js";
import { statsRepository } from "../../src/repositories/stats-repository.js";
import { floorKey, seedActiveLinks, seedPendingLinks, type LinkFamily } from "./seed.js";

interface Statement {
  query: string;
  params: unknown[];
}

class Rollback extends Error {}

export async function explainHotStatements(input: {
  url: string;
  vault: TokenVault;
  refreshFamily: LinkFamily;
  playerFamily: LinkFamily;
  /** A family of its own for the links this module seeds. */
  pendingFamily: LinkFamily;
  partnerClientId: string;
  statsUserId: string;
  /** Heading prefix, e.g. "1,000,000 links: ". */
  title?: string;
}): Promise<string> {
  const { vault } = input;
  const client = postgres(input.url, { max: 1, onnotice: () => {} });
  const captured: Statement[] = [];
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => void captured.push({ query, params }) } }) as unknown as Db;
  const fam = input.pendingFamily;
  const out: string[] = [`# ${input.title ?? ""}EXPLAIN (ANALYZE, BUFFERS, WAL) of the hot statements`, "", `Generated ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on the benchmark database after the load.`, ""];
  try {
    // Links of our own, so the statements act on current tokens: 2 active, 1 pending.
    await seedActiveLinks(client, vault, fam, 0, 2);
    await seedPendingLinks(client, vault, fam, 100, 101);
    const now = new Date();
    const pair = (locator = newTokenLocator()) => {
      const access = generateToken("access", locator);
      const refresh = generateToken("refresh", locator);
      return {
        locator,
        accessTokenDigest: vault.digest(access),
        accessTokenCiphertext: vault.encrypt(access),
        accessTokenExpiresAt: new Date(now.getTime() + 3_600_000),
        refreshTokenDigest: vault.digest(refresh),
        refreshTokenCiphertext: vault.encrypt(refresh),
        refreshTokenExpiresAt: new Date(now.getTime() + 30 * 86_400_000),
      };
    };

    async function capture(fn: (tx: Db) => Promise<unknown>): Promise<Statement[]> {
      captured.length = 0;
      try {
        await db.transaction(async (tx) => {
          await fn(tx as unknown as Db);
          tx.rollback();
        });
      } catch (err) {
        if (!(err instanceof TransactionRollbackError)) throw err;
      }
      return [...captured];
    }

    async function explain(title: string, statements: Statement[]) {
      out.push(`## ${title}`, "");
      try {
        await client.begin(async (sql) => {
          for (const s of statements) {
            const rows = await sql.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, buffers, wal) ${s.query}`, s.params as never[]);
            out.push("```sql", s.query.replace(/\s+/g, " ").trim(), "```", "```", ...rows.map((r) => r["QUERY PLAN"]), "```", "");
          }
          throw new Rollback();
        });
      } catch (err) {
        if (!(err instanceof Rollback)) out.push(`(failed: ${err instanceof Error ? err.message : String(err)})`, "");
      }
    }

    const event = () => statementEvent("token_refreshed", { ip: "127.0.0.1", userAgent: null }, now);

    await explain(
      "refresh-token: the rotation statement with its audit row (linkRepository.rotateRefreshToken)",
      await capture(async (tx) => {
        const rotated = await linkRepository(tx).rotateRefreshToken({
          locator: fam.locator(0), refreshTokenDigest: vault.digest(fam.token("refresh", 0)), clientId: input.partnerClientId, externalUserId: fam.externalUserId(0), requiredScopes: null, now, tokens: pair(fam.locator(0)), event: event(),
        });
        if (!rotated) throw new Error("explain: the rotation found no link");
      }),
    );
    await explain(
      "link-confirm: the activation statement with its audit row (linkRepository.activateWithLinkToken)",
      await capture(async (tx) => {
        const active = await linkRepository(tx).activateWithLinkToken({
          linkTokenDigest: vault.digest(fam.token("link", 100)), clientId: input.partnerClientId, externalUserId: fam.externalUserId(100), redirectUri: null, verifierChallenge: null, now, tokens: pair(),
          event: { ...event(), event: "link_confirmed" },
        });
        if (!active) throw new Error("explain: the link token was not accepted");
      }),
    );
    await explain(
      "game-result: the access-token check and the game insert as one statement (gameRepository.insertGame)",
      await capture(async (tx) => {
        const seat = (s: 0 | 1) => ({
          seat: s, externalUserId: fam.externalUserId(s), accessTokenLocator: fam.locator(s), accessTokenDigest: vault.digest(fam.token("access", s)), withoutToken: "no_token" as const,
          leader: "9226435975", base: "4301437393", deckId: "unknown", deckName: "Deck", deckSource: "swuBase", isWinner: s === 0, result: s === 0 ? ("win" as const) : ("loss" as const),
          cardMetrics: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`card-${k}`, { played: 1, resourced: 0, activated: 0, drawn: 1, discarded: 0 }])),
        });
        const outcome = await gameRepository(tx).insertGame({ clientId: input.partnerClientId, gameId: `explain-${randomUUID()}`, lobbyId: null, format: "premier", startedAt: now, finishedAt: now, roundNumber: 1, sequenceNumber: 1, receivedAt: now, accessTokenCutoff: now, payload: { explained: true }, seats: [seat(0), seat(1)] });
        if (!outcome.stored || outcome.attributions.some((a) => a !== "linked")) throw new Error("explain: the game was not stored with both players attributed");
      }),
    );
    await explain(
      "stats overview: tally and recent games of the stats user (statsRepository)",
      await capture(async (tx) => {
        const repo = statsRepository(tx);
        await repo.tally(input.statsUserId, {});
        await repo.recent(input.statsUserId, {}, { limit: 20, offset: 0 });
      }),
    );
    await explain("reference (deployed design): the rows of the partner user, then the UPDATE by id", [
      { query: "select id, scopes, refresh_token_ciphertext, refresh_token_expires_at from user_integration where client_id = $1 and external_user_id = $2 and status = 'active'", params: [input.partnerClientId, fam.externalUserId(1)] },
      { query: "update user_integration set access_token_ciphertext = $1, refresh_token_ciphertext = $2, last_used_at = now() where id = $3", params: [vault.encrypt("a"), vault.encrypt("b"), fam.linkId(1)] },
    ]);
    await explain("floors: the read floor's SELECT and the write floor's UPDATE", [
      { query: "select id, status, external_user_id from user_integration where id = $1", params: [fam.linkId(1)] },
      { query: "update bench_floor set n = n + 1, touched_at = now() where key = $1 returning id, n", params: [Buffer.from(floorKey(7), "hex")] },
    ]);
  } finally {
    await client.end();
  }
  return out.join("\n");
}
