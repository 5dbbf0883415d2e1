/**
 * Server-side set-up for browser suites, through the real HTTP API of a running harness: a
 * partner client (registered with the server's own services), users signed up over
 * /api/auth, a Karabast id linked through link-create + link-confirm, and finished games
 * reported to the game-result endpoint exactly as Karabast sends them.
 */
import { randomBytes } from "node:crypto";
import type { BrowserContext } from "playwright-core";
import { createServices } from "../../src/services.js";
import { newUser, type Harness, type TestUser } from "./harness.js";

export interface Partner {
  clientId: string;
  secret: string;
}

async function registerPartner(harness: Harness, name = "Karabast"): Promise<Partner> {
  const services = createServices({ config: harness.config, db: harness.server.database.db, clock: () => new Date() });
  return services.clients.register({
    clientId: `karabast-${randomBytes(4).toString("hex")}`,
    name,
    integration: "karabast",
    redirectUris: [`${harness.baseUrl}/partner/callback`],
    scopes: ["decks", "email", "profile", "teams"],
  });
}

async function call(harness: Harness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${harness.baseUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: harness.baseUrl, ...headers },
    body: JSON.stringify(body),
  });
}

async function expectOk(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} failed with ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

export interface SignedUpUser {
  user: TestUser;
  /** `name=value` pairs of the session cookies, for API calls. */
  cookieHeader: string;
  cookies: { name: string; value: string }[];
}

/** POST /api/auth/sign-up/email; keeps the session cookies. */
export async function signUpViaApi(harness: Harness, user: TestUser): Promise<SignedUpUser> {
  const res = await call(harness, "/api/auth/sign-up/email", user);
  await expectOk(res, "sign-up");
  const cookies = res.headers.getSetCookie().map((line) => {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
  });
  if (cookies.length === 0) throw new Error("sign-up set no cookie");
  return { user, cookies, cookieHeader: cookies.map((c) => `${c.name}=${c.value}`).join("; ") };
}

/** Gives a browser context the session of a user signed up over the API. */
export async function useSession(context: BrowserContext, harness: Harness, signedUp: SignedUpUser) {
  await context.addCookies(signedUp.cookies.map((c) => ({ name: c.name, value: c.value, url: harness.baseUrl })));
}

/** The approval (as the page does it) and the partner's link-confirm: returns the access token. */
async function linkKarabast(harness: Harness, partner: Partner, signedUp: SignedUpUser, karabastUserId: string): Promise<string> {
  const created = (await expectOk(
    await call(
      harness,
      "/api/integration/link-create",
      { clientId: partner.clientId, externalUserId: karabastUserId, scopes: "decks email profile teams", integration: "karabast", metadata: {} },
      { Cookie: signedUp.cookieHeader },
    ),
    "link-create",
  )) as { linkToken: string };
  const tokens = (await expectOk(
    await call(harness, "/api/integration/link-confirm", {
      client_id: partner.clientId,
      client_secret: partner.secret,
      link_token: created.linkToken,
      external_user_id: karabastUserId,
      integration: "karabast",
    }),
    "link-confirm",
  )) as { access_token: string };
  return tokens.access_token;
}

type Metric = Partial<Record<"played" | "resourced" | "activated" | "drawn" | "discarded", number>>;

export interface GameSpec {
  gameId: string;
  finishedAt: string;
  format: "premier" | "open" | "eternal" | "limited";
  /** "draw": both players reported as the winner, as the deployed client sends a draw. */
  win: boolean | "draw";
  leader: string;
  base: string;
  opponentLeader: string;
  opponentBase: string;
  deck: { id: string; name: string };
  lobbyId?: string | null;
  sequenceNumber?: number;
  rounds?: number;
  durationSeconds?: number;
  metrics?: Record<string, Metric>;
}

const fullMetrics = (m: Record<string, Metric> = {}) =>
  Object.fromEntries(Object.entries(m).map(([id, v]) => [id, { played: 0, resourced: 0, activated: 0, drawn: 0, discarded: 0, ...v }]));

/** A game-result `data` in the deployed client's shape: the user in seat 0, an unlinked opponent in seat 1. */
export function gameData(g: GameSpec, me: { karabastUserId: string; accessToken: string }) {
  const finished = new Date(g.finishedAt);
  return {
    gameId: g.gameId,
    lobbyId: g.lobbyId ?? `lobby-${g.gameId}`,
    startedAt: new Date(finished.getTime() - (g.durationSeconds ?? 1500) * 1000).toISOString(),
    finishedAt: finished.toISOString(),
    roundNumber: g.rounds ?? 6,
    sequenceNumber: g.sequenceNumber ?? 1,
    format: g.format,
    players: [
      {
        data: {
          id: me.karabastUserId,
          accessToken: me.accessToken,
          leader: g.leader,
          base: g.base,
          deck: { ...g.deck, deckSource: "swuBase" },
          isWinner: g.win !== false,
        },
        cardMetrics: fullMetrics(g.metrics),
      },
      {
        data: {
          id: "kb-opponent",
          accessToken: null,
          leader: g.opponentLeader,
          base: g.opponentBase,
          deck: { id: "unknown", name: "Their deck", deckSource: "swuBase" },
          isWinner: g.win !== true,
        },
        cardMetrics: {},
      },
    ],
  };
}

/** POST /api/integration/karabast/game-result with the partner's credentials. */
export async function reportGame(harness: Harness, partner: Partner, data: unknown): Promise<unknown> {
  return expectOk(
    await call(harness, "/api/integration/karabast/game-result", { integration: "karabast", client_id: partner.clientId, client_secret: partner.secret, data }),
    "game-result",
  );
}

export interface SeededPlayer {
  /** A new user, signed up over the API. */
  player: SignedUpUser;
  /** The partner registered for it, which reported its games. */
  partner: Partner;
  /** The partner's access token for the player. */
  accessToken: string;
  /** Each game's game-result answer, in order. */
  answers: unknown[];
}

/** A new user linked through a partner of its own as `karabastUserId`, with `games` reported for it (the user in seat 0). */
export async function seedPlayer(harness: Harness, karabastUserId: string, games: GameSpec[]): Promise<SeededPlayer> {
  const partner = await registerPartner(harness);
  const player = await signUpViaApi(harness, newUser());
  const accessToken = await linkKarabast(harness, partner, player, karabastUserId);
  const answers: unknown[] = [];
  for (const game of games) answers.push(await reportGame(harness, partner, gameData(game, { karabastUserId, accessToken })));
  return { player, partner, accessToken, answers };
}
