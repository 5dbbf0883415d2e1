/**
 * Shared pieces of the resilience suites: a TCP proxy in front of PostgreSQL that a test can cut
 * or blackhole, timed HTTP calls, game payloads and direct seeding through the services.
 * Everything listens on and talks to 127.0.0.1 only.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/database.js";
import { user } from "../../src/db/schema.js";
import type { Client } from "../../src/domain/clients/client-service.js";
import { rowsOf } from "../../src/repositories/rows.js";
import type { Services } from "../../src/services.js";
import { TEST_ENV } from "../support/test-app.js";

// eslint-disable-next-line no-restricted-properties -- tests read their own switches
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Prints why a PostgreSQL suite does not run (vitest shows skipped suites without a reason). */
export function announceSkip(suite: string): void {
  if (!TEST_DATABASE_URL) console.warn(`[${suite}] skipped: TEST_DATABASE_URL is not set (this suite needs PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/postgres)`);
}

/** The secrets every resilience server runs with (the integration suites' fixed test secrets). */
export const SECRETS = {
  AUTH_SECRET: TEST_ENV.AUTH_SECRET,
  TOKEN_ENCRYPTION_KEY: TEST_ENV.TOKEN_ENCRYPTION_KEY,
  TOKEN_HASH_KEY: TEST_ENV.TOKEN_HASH_KEY,
} as const;

const PARTNER_ID = "karabast";
export const REDIRECT_URI = "https://karabast.example/api/swubase/callback";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------ TCP proxy

export type ProxyMode = "forward" | "cut" | "blackhole";

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** Held back after a restore (see `restore({ busyDelayMs })`). */
  held: boolean;
  /** Bytes held back while blackholed, released in order on restore. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/**
 * A byte-level TCP forwarder. `cut()` resets every connection and resets new ones at once (what a
 * crashed database host or a firewall REJECT looks like); `blackhole()` keeps accepting but
 * forwards nothing in either direction (a partition or a frozen server: no error, no answer);
 * `restore()` forwards again, releasing held bytes in order (the partition heals).
 */
export class TcpProxy {
  mode: ProxyMode = "forward";
  readonly stats = { accepted: 0, reset: 0, held: 0 };
  private readonly pairs = new Set<Pair>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<this> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Resets all connections, and every new one as it arrives. */
  cut(): void {
    this.mode = "cut";
    for (const pair of [...this.pairs]) this.kill(pair);
  }

  /** Accepts, but nothing goes through in either direction until restore(). */
  blackhole(): void {
    this.mode = "blackhole";
  }

  /**
   * Forwards again. Held connections resume with their buffered bytes, or are reset
   * (`held: "reset"`). With `busyDelayMs`, connections that had bytes in flight resume only after
   * that delay while idle and new ones work at once: TCP's retransmission backoff after a
   * partition heals, when a connection that was sending waits while fresh ones connect at once.
   */
  restore(options: { held?: "resume" | "reset"; busyDelayMs?: number } = {}): void {
    this.mode = "forward";
    for (const pair of [...this.pairs]) {
      const busy = pair.toUpstream.length > 0 || pair.toClient.length > 0 || !pair.upstream;
      if (options.held === "reset" && busy) {
        this.kill(pair);
        continue;
      }
      if (options.busyDelayMs && busy) {
        pair.held = true;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          pair.held = false;
          this.release(pair);
        }, options.busyDelayMs);
        this.timers.add(timer);
        continue;
      }
      this.release(pair);
    }
  }

  private release(pair: Pair): void {
    if (pair.client.destroyed) return;
    if (!pair.upstream) this.connectUpstream(pair);
    for (const chunk of pair.toUpstream.splice(0)) pair.upstream!.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  }

  private passes(pair: Pair): boolean {
    return this.mode === "forward" && !pair.held;
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.mode = "cut";
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const pair of [...this.pairs]) this.kill(pair);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on("error", () => {});
    if (this.mode === "cut") {
      this.stats.reset++;
      client.resetAndDestroy();
      return;
    }
    this.stats.accepted++;
    const pair: Pair = { client, upstream: null, held: false, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (this.passes(pair) && pair.upstream) pair.upstream.write(chunk);
      else {
        if (this.mode === "blackhole") this.stats.held++;
        pair.toUpstream.push(chunk);
      }
    });
    client.on("close", () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.mode === "forward") this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on("error", () => {});
    upstream.on("data", (chunk: Buffer) => {
      if (this.passes(pair)) pair.client.write(chunk);
      else pair.toClient.push(chunk);
    });
    upstream.on("close", () => {
      if (!pair.client.destroyed) pair.client.destroy();
      this.pairs.delete(pair);
    });
  }

  private kill(pair: Pair): void {
    this.stats.reset++;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    pair.upstream?.destroy();
    this.pairs.delete(pair);
  }
}

export async function startTcpProxy(targetUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(targetUrl);
  const proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) }).listen();
  const proxied = new URL(targetUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
}

/** A port that was free a moment ago (for child processes that must be told their port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ------------------------------------------------------------------------------------ HTTP

export interface Sample {
  kind: string;
  /** performance.now() at send and at the complete answer. */
  start: number;
  end: number;
  /** 0: no answer (network error or our 10 s abort). */
  status: number;
  body: Record<string, unknown> | null;
  error?: string;
}

export const latency = (s: Sample) => s.end - s.start;

/** One HTTP call, measured; never throws, never waits longer than `abortMs`. */
export async function timedFetch(kind: string, url: string, init: RequestInit = {}, abortMs = 10_000): Promise<Sample> {
  const start = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(abortMs) });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = null;
    }
    return { kind, start, end: performance.now(), status: res.status, body };
  } catch (err) {
    return { kind, start, end: performance.now(), status: 0, body: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

export function postJsonTimed(kind: string, url: string, body: unknown, abortMs?: number): Promise<Sample> {
  return timedFetch(kind, url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, abortMs);
}

// ------------------------------------------------------------------------------------ games

interface GamePlayer {
  data: Record<string, unknown> & { id: string; accessToken: string | null };
  cardMetrics: Record<string, unknown>;
}
export interface GameData {
  gameId: string;
  players: GamePlayer[];
  [key: string]: unknown;
}

const SAMPLE_GAME = JSON.parse(readFileSync(new URL("../../src/demo/karabast/sample-game.json", import.meta.url), "utf8")) as GameData;
/** Card metric entries per seat in the sample game (both seats have some). */
export const SAMPLE_METRICS = SAMPLE_GAME.players.map((p) => Object.keys(p.cardMetrics).length);

export function gameData(gameId: string, players: [{ id: string; accessToken: string | null }, { id: string; accessToken: string | null }]): GameData {
  const data = structuredClone(SAMPLE_GAME);
  data.gameId = gameId;
  data.players.forEach((p, i) => {
    p.data.id = players[i]!.id;
    p.data.accessToken = players[i]!.accessToken;
  });
  return data;
}

export const gameBody = (partner: { clientId: string; secret: string }, data: GameData) => ({
  integration: "karabast",
  client_id: partner.clientId,
  client_secret: partner.secret,
  data,
});

/** Per partner game id: rows in each games table (a complete game is 1 / 1 / 2 / 2). */
export async function gameRowCounts(db: Db, clientId: string) {
  const rows = rowsOf<{ game_id: string; games: number; payloads: number; seats: number; metric_rows: number; metric_cards: number }>(
    await db.execute(sql`
      select g.game_id, count(*)::int as games, sum(p.n)::int as payloads, sum(s.n)::int as seats,
             sum(m.n)::int as metric_rows, sum(m.cards)::int as metric_cards
      from game g
      cross join lateral (select count(*) as n from game_payload x where x.game_id = g.id) p
      cross join lateral (select count(*) as n from game_seat x where x.game_id = g.id) s
      cross join lateral (select count(*) as n, coalesce(sum(cardinality(x.card_ids)), 0) as cards from game_card_metrics x where x.game_id = g.id) m
      where g.client_id = ${clientId} group by g.game_id`),
  );
  return new Map(rows.map((r) => [r.game_id, r]));
}

// ------------------------------------------------------------------------------------ seeding

export async function registerPartner(services: Services): Promise<{ clientId: string; secret: string; client: Client }> {
  const { clientId, secret } = await services.clients.register({
    clientId: PARTNER_ID,
    name: "Karabast",
    integration: "karabast",
    redirectUris: [REDIRECT_URI],
    scopes: ["decks", "email", "profile", "teams"],
  });
  const client = await services.clients.find(clientId);
  if (!client) throw new Error("partner not registered");
  return { clientId, secret, client };
}

/** Swubase users inserted directly (accounts are not what these suites test). */
export async function createUsers(db: Db, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.insert(user).values(ids.map((id, i) => ({ id, name: `${prefix} ${i}`, email: `${prefix}-${i}-${id.slice(0, 8)}@example.com` })));
  return ids;
}

/** An approved, not yet confirmed link: returns its link token. */
export async function pendingLink(services: Services, userId: string, externalUserId: string): Promise<string> {
  const { linkToken } = await services.links.createLink({ clientId: PARTNER_ID, externalUserId, integration: "karabast", redirectUri: REDIRECT_URI, userId });
  return linkToken;
}

/** A confirmed link: returns its first token pair. */
export async function activeLink(services: Services, client: Client, userId: string, externalUserId: string) {
  const linkToken = await pendingLink(services, userId, externalUserId);
  return services.tokens.consumeLinkToken({ client, linkToken, externalUserId });
}

/** A compact summary of numbers for the report. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
