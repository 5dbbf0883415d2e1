/** The request sources of the benchmark cases: what each request sends, and which token it uses. */
import type { NextRequest, RequestSource } from "./load.js";
import { BASES, CARDS, LEADERS, floorKey } from "./seed.js";

export interface Partner {
  clientId: string;
  clientSecret: string;
}

/** Read floor: GET /bench/read/:id over the given link ids, round robin. */
export function readFloor(ids: string[]): RequestSource {
  let i = 0;
  return { next: () => ({ method: "GET", path: `/bench/read/${encodeURIComponent(ids[i++ % ids.length]!)}` }) };
}

/**
 * Write floor: POST /bench/write of a different bench_floor row each time (round robin over
 * `rows`). With a partner, the same write through the app's pipeline (`/bench-api/write`), in the
 * body of a refresh-token request: the partner's credentials, and the row's key as the token.
 */
export function writeFloor(rows: number, through?: Partner): RequestSource {
  const body = (key: string) =>
    through
      ? { client_id: through.clientId, client_secret: through.clientSecret, refresh_token: key, external_user_id: "kb-floor", integration: "karabast" }
      : { key };
  const bodies = Array.from({ length: rows }, (_, i) => JSON.stringify(body(floorKey(i))));
  const path = through ? "/bench-api/write" : "/bench/write";
  let i = 0;
  return { next: () => ({ method: "POST", path, body: bodies[i++ % rows]! }) };
}

export interface RefreshGrant {
  externalUserId: string;
  refreshToken: string;
}

/**
 * The current refresh token of each link of a pool, oldest-used first. It lives across runs: a
 * run takes tokens from it and puts the rotated ones back.
 */
export class RefreshPool {
  private queue: RefreshGrant[];
  private head = 0;
  constructor(grants: RefreshGrant[]) {
    this.queue = [...grants];
  }
  get size() {
    return this.queue.length - this.head;
  }
  take(): RefreshGrant | null {
    if (this.head >= this.queue.length) return null;
    const g = this.queue[this.head++]!;
    if (this.head > 65_536 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return g;
  }
  put(g: RefreshGrant) {
    this.queue.push(g);
  }
}

/**
 * Refresh (ours, the reference, or a variant, by `path`): each request takes the link that waited
 * longest and, when its answer arrives, puts it back with the new refresh token. With a pool far
 * larger than the connections, every request rotates a different link and never replays a token.
 */
export function refreshRotation(path: string, partner: Partner, pool: RefreshPool): RequestSource {
  return rotation(pool, (g) => ({
    method: "POST",
    path,
    body: JSON.stringify({ client_id: partner.clientId, client_secret: partner.clientSecret, refresh_token: g.refreshToken, external_user_id: g.externalUserId, integration: "karabast" }),
  }));
}

/**
 * The peer's refresh (node-oidc-provider's token endpoint): the same rotation through the pool as
 * ours, as an RFC 6749 refresh_token grant, form-encoded, client_secret_post.
 */
export function oidcRefreshRotation(client: Partner, pool: RefreshPool): RequestSource {
  return rotation(pool, (g) => ({
    method: "POST",
    path: "/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: g.refreshToken, client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  }));
}

/** Sends `request(grant)` for the grant that waited longest, and puts it back with the answer's new refresh token. */
function rotation(pool: RefreshPool, request: (grant: RefreshGrant) => Omit<NextRequest, "onResponse">): RequestSource {
  let lost = 0;
  let starved = 0;
  let unexpected = 0;
  let last: RefreshGrant | null = null;
  return {
    next(): NextRequest {
      let grant = pool.take();
      if (!grant) {
        // Every link is in flight: cannot happen with a pool much larger than the connections.
        starved++;
        grant = last!;
      }
      last = grant;
      const g = grant;
      return {
        ...request(g),
        onResponse(status, body) {
          if (status !== 200) {
            lost++;
            return;
          }
          try {
            const rotated = (JSON.parse(body) as { refresh_token?: string }).refresh_token;
            if (!rotated) throw new Error("no refresh_token");
            pool.put({ externalUserId: g.externalUserId, refreshToken: rotated });
          } catch {
            unexpected++;
          }
        },
      };
    },
    notes: () => [
      ...(lost ? [`${lost} refreshes not answered 200 (their links left the pool)`] : []),
      ...(starved ? [`pool starved ${starved} times (a token was sent twice)`] : []),
      ...(unexpected ? [`${unexpected} answers without a refresh_token`] : []),
    ],
  };
}

export interface LinkGrant {
  externalUserId: string;
  linkToken: string;
}

/** Link-confirm: each pending link token once, in order; past the end the last one is repeated (and fails, counted). */
export function linkConfirms(path: string, partner: Partner, grants: LinkGrant[], start = 0): RequestSource & { used(): number; reused(): number } {
  let i = start;
  let exhausted = 0;
  return {
    next() {
      if (i >= grants.length) exhausted++;
      const g = grants[Math.min(i++, grants.length - 1)]!;
      return {
        method: "POST",
        path,
        body: JSON.stringify({ client_id: partner.clientId, client_secret: partner.clientSecret, link_token: g.linkToken, external_user_id: g.externalUserId, integration: "karabast" }),
      };
    },
    used: () => Math.min(i, grants.length),
    reused: () => exhausted,
    notes: () => (exhausted ? [`link-token pool exhausted: ${exhausted} requests reused a token`] : []),
  };
}

export interface Player {
  externalUserId: string;
  accessToken: string;
}

function cardMetrics(seed: number, count: number) {
  const metrics: Record<string, { drawn: number; played: number; activated: number; discarded: number; resourced: number }> = {};
  for (let k = 0; k < count; k++)
    metrics[CARDS[(seed + k) % CARDS.length]! + (k >= CARDS.length ? `-${k}` : "")] = {
      drawn: (seed + k) % 3,
      played: (seed + k) % 2,
      activated: 0,
      discarded: k % 4 === 0 ? 1 : 0,
      resourced: k % 3 === 0 ? 1 : 0,
    };
  return metrics;
}

/**
 * Game results with unique game ids (`prefix-n`), both players linked: consecutive games take
 * disjoint pairs from the player pool. The payload has the shape and size of the deployed
 * client's (shared fixture: ~5.7 kB, 20-22 cards per player).
 */
export function gameResults(partner: Partner, players: Player[], prefix: string): RequestSource {
  let n = 0;
  let notAttributed = 0;
  const started = new Date(Date.now() - 1_800_000).toISOString();
  const finished = new Date().toISOString();
  const seat = (p: Player, i: number, s: number, winner: boolean) => ({
    data: {
      id: p.externalUserId,
      base: BASES[(i + s) % BASES.length],
      deck: { id: "unknown", base: { id: "JTL_025", cost: null, count: 1, internalName: BASES[(i + s) % BASES.length] }, name: `Bench deck ${s}`, leader: { id: "SHD_013", cost: 5, count: 1, internalName: LEADERS[(i + 3 * s) % LEADERS.length] }, deckSource: "swuBase" },
      leader: LEADERS[(i + 3 * s) % LEADERS.length],
      isWinner: winner,
      accessToken: p.accessToken,
    },
    cardMetrics: cardMetrics(i + s, 20 + 2 * s),
  });
  return {
    next() {
      const i = n++;
      const a = players[(2 * i) % players.length]!;
      const b = players[(2 * i + 1) % players.length]!;
      const body = JSON.stringify({
        integration: "karabast",
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
        data: {
          format: "premier",
          gameId: `${prefix}-${i}`,
          lobbyId: `${prefix}-lobby-${Math.floor(i / 3)}`,
          players: [seat(a, i, 0, i % 2 === 0), seat(b, i, 1, i % 2 === 1)],
          startedAt: started,
          finishedAt: finished,
          roundNumber: 1 + (i % 8),
          sequenceNumber: 1 + (i % 3),
        },
      });
      return {
        method: "POST",
        path: "/api/integration/karabast/game-result",
        body,
        onResponse(status, text) {
          if (status === 200 && text.includes('"attributed":false')) notAttributed++;
        },
      };
    },
    notes: () => (notAttributed ? [`${notAttributed} games had a player not attributed (token not accepted)`] : []),
  };
}

/** Stats overview of one signed-in user. */
export function statsOverview(cookie: string): RequestSource {
  return { next: () => ({ method: "GET", path: "/api/stats/overview", headers: { cookie } }) };
}
