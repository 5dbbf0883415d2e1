/**
 * Every page (and every state of a page worth checking) the accessibility suite visits, as a table:
 * add a row for a new page. Each row says whose session it runs under, where to go, what shows
 * the page is ready, and (optionally) what to do on it to reach the state to check.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { HAN, MAUL, NEGOTIATIONS, OSCILLATOR, QUIGON, TEMPLE, UNDERCITY } from "./cards.js";
import { newUser, type Harness } from "./harness.js";
import { gameData, reportGame, seedPlayer, signUpViaApi, type GameSpec, type SignedUpUser } from "./partner.js";

export interface A11yFixtures {
  harness: Harness;
  /** A user with reported games (wins, losses, a draw, a best-of-three), a link and its activity. */
  player: SignedUpUser;
  /** A user without any game or link. */
  newcomer: SignedUpUser;
  /** The approval page for the demo partner, with `params` on top of a valid request. */
  approvalPath(params?: Record<string, string>): string;
}

export interface PageCase {
  name: string;
  /**
   * Whose session: nobody's, the player's, the newcomer's, a new user's ("fresh": for states that sign
   * out), or a new user's whose session is over 24 h old.
   */
  as: "guest" | "player" | "newcomer" | "fresh" | "stale";
  path: string | ((fx: A11yFixtures) => string);
  /** Resolves once the page shows what is to be checked. */
  ready: (page: Page) => Promise<unknown>;
  /** Brings the page into the state to check (after `ready`), e.g. opens a dialog. */
  act?: (page: Page, fx: A11yFixtures) => Promise<unknown>;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { name }).first().waitFor();

export const PAGES: PageCase[] = [
  { name: "home (signed out)", as: "guest", path: "/", ready: (p) => heading(p, "How it works") },
  { name: "home (signed in)", as: "player", path: "/", ready: (p) => p.getByRole("link", { name: "Your stats" }).waitFor() },
  { name: "sign-in", as: "guest", path: "/sign-in", ready: (p) => heading(p, "Sign in") },
  {
    name: "sign-in with field errors",
    as: "guest",
    path: "/sign-in",
    ready: (p) => heading(p, "Sign in"),
    act: async (p) => {
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.locator("#email-error").waitFor();
    },
  },
  {
    name: "sign-in with a wrong password",
    as: "guest",
    path: "/sign-in",
    ready: (p) => heading(p, "Sign in"),
    act: async (p) => {
      await p.getByLabel("Email").fill("nobody@example.com");
      await p.getByLabel("Password").fill("not the password");
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByRole("alert").filter({ hasText: /invalid email or password/i }).waitFor();
    },
  },
  { name: "sign-up", as: "guest", path: "/sign-up", ready: (p) => heading(p, "Create your account") },
  {
    name: "sign-up with field errors",
    as: "guest",
    path: "/sign-up",
    ready: (p) => heading(p, "Create your account"),
    act: async (p) => {
      await p.getByLabel("Password").fill("short");
      await p.getByRole("button", { name: "Sign up" }).click();
      await p.locator("#password-error").waitFor();
    },
  },
  {
    name: "approval: the request",
    as: "player",
    path: (fx) => fx.approvalPath(),
    ready: (p) => heading(p, /wants to link to your Swubase account/),
  },
  {
    name: "approval: an unusable request",
    as: "player",
    path: (fx) => fx.approvalPath({ redirect_uri: "https://evil.example/cb" }),
    ready: (p) => heading(p, "This link request can't be used"),
  },
  {
    name: "approval: signed in as someone else (switch account)",
    as: "fresh",
    path: (fx) => fx.approvalPath(),
    ready: (p) => heading(p, /wants to link to your Swubase account/),
    act: async (p) => {
      await p.getByRole("button", { name: "Not you? Switch account" }).click();
      await p.waitForURL((url) => url.pathname === "/sign-in" && (url.searchParams.get("redirect") ?? "").startsWith("/settings/link/"));
      await heading(p, "Sign in");
    },
  },
  {
    name: "approval: password again (session over 24 h), wrong password",
    as: "stale",
    path: (fx) => fx.approvalPath(),
    ready: (p) => heading(p, /wants to link to your Swubase account/),
    act: async (p) => {
      await p.getByRole("button", { name: "Approve Link" }).click();
      await p.getByLabel("Password").fill("not my password");
      await p.getByRole("button", { name: "Confirm and approve" }).click();
      await p.locator("#confirm-password-error").waitFor();
    },
  },
  { name: "stats overview", as: "player", path: "/stats", ready: (p) => p.getByRole("table", { name: "Last games" }).waitFor() },
  { name: "stats without games", as: "newcomer", path: "/stats", ready: (p) => heading(p, "No games recorded yet") },
  { name: "stats: decks", as: "player", path: "/stats/decks", ready: (p) => p.getByRole("table", { name: "By deck" }).waitFor() },
  {
    name: "stats: a deck",
    as: "player",
    path: "/stats/decks/deck-han?deckName=Han%20Aggro",
    ready: (p) => p.getByRole("table", { name: "Card statistics" }).waitFor(),
  },
  { name: "stats: matchups", as: "player", path: "/stats/matchups", ready: (p) => p.getByRole("table", { name: "Matchups" }).waitFor() },
  { name: "stats: cards", as: "player", path: "/stats/cards", ready: (p) => p.getByRole("table", { name: "Card metrics" }).waitFor() },
  { name: "stats: matches", as: "player", path: "/stats/matches", ready: (p) => p.getByRole("table", { name: "Best-of-three matches" }).waitFor() },
  {
    name: "integrations (links, games not counted, activity)",
    as: "player",
    path: "/settings/integrations",
    ready: async (p) => {
      await p.getByRole("article", { name: "Karabast" }).waitFor();
      await p.getByRole("list", { name: "Recent activity" }).waitFor();
      await p.getByRole("list", { name: "Games not counted" }).waitFor();
    },
  },
  {
    name: "integrations: the unlink dialog",
    as: "player",
    path: "/settings/integrations",
    ready: (p) => p.getByRole("article", { name: "Karabast" }).waitFor(),
    act: (p) => p.getByRole("article", { name: "Karabast" }).getByRole("button", { name: "Unlink" }).click().then(() => p.getByRole("dialog").waitFor()),
  },
  { name: "integrations without links", as: "newcomer", path: "/settings/integrations", ready: (p) => heading(p, "No linked services yet") },
  { name: "settings", as: "player", path: "/settings", ready: (p) => heading(p, "Settings") },
  { name: "meta", as: "guest", path: "/meta", ready: (p) => heading(p, "Meta") },
  { name: "public profile", as: "guest", path: "/u/a11y-player", ready: (p) => heading(p, "@a11y-player") },
  { name: "public profile not found", as: "guest", path: "/u/nobody-here", ready: (p) => heading(p, "No public profile here") },
  { name: "page not found", as: "guest", path: "/no-such-page", ready: (p) => heading(p, "Page not found") },
  { name: "demo partner", as: "guest", path: "/demo/karabast", ready: (p) => p.getByTestId("not-linked").waitFor() },
  { name: "API docs", as: "guest", path: "/api/docs", ready: (p) => p.getByRole("heading", { level: 1 }).waitFor() },
];

/** Makes the user's sessions older than 24 h (the approval then asks for the password again). */
export async function ageSessions(harness: Harness, email: string): Promise<void> {
  await harness.server.database.db.execute(
    sql`update session set created_at = created_at - interval '25 hours' where user_id = (select id from "user" where email = ${email})`,
  );
}

const HAN_DECK = { id: "deck-han", name: "Han Aggro" };

/** Wins, losses and a draw over two weeks, a best-of-three, card metrics, and one game not counted (expired token). */
const A11Y_GAMES: GameSpec[] = [
  {
    gameId: "a11y-1", finishedAt: "2026-01-05T18:00:00Z", format: "premier", win: true, leader: HAN, base: OSCILLATOR, opponentLeader: QUIGON,
    opponentBase: TEMPLE, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 1, metrics: { [NEGOTIATIONS]: { played: 1, drawn: 1 } },
  },
  {
    gameId: "a11y-2", finishedAt: "2026-01-05T18:40:00Z", format: "premier", win: true, leader: HAN, base: OSCILLATOR, opponentLeader: QUIGON,
    opponentBase: TEMPLE, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 2, metrics: { [NEGOTIATIONS]: { drawn: 1 } },
  },
  {
    gameId: "a11y-3", finishedAt: "2026-01-13T18:00:00Z", format: "premier", win: "draw", leader: HAN, base: OSCILLATOR, opponentLeader: MAUL,
    opponentBase: UNDERCITY, deck: HAN_DECK,
  },
  {
    gameId: "a11y-4", finishedAt: "2026-01-14T20:00:00Z", format: "open", win: false, leader: QUIGON, base: TEMPLE, opponentLeader: MAUL,
    opponentBase: UNDERCITY, deck: { id: "deck-qui", name: "Qui-Gon Control" },
  },
];

/** The player (games, a link, activity, a game not counted) and a newcomer, over the real HTTP API. */
export async function seedA11yFixtures(harness: Harness): Promise<Omit<A11yFixtures, "approvalPath">> {
  const { player, partner, accessToken } = await seedPlayer(harness, "kb-a11y-player", A11Y_GAMES);
  await harness.server.database.db.execute(
    sql`update user_integration set access_token_expires_at = now() - interval '2 hours' where external_user_id = 'kb-a11y-player' and status = 'active'`,
  );
  const late = { ...A11Y_GAMES[0]!, gameId: "a11y-late", finishedAt: new Date().toISOString(), lobbyId: null };
  await reportGame(harness, partner, gameData(late, { karabastUserId: "kb-a11y-player", accessToken }));
  const newcomer = await signUpViaApi(harness, newUser());
  // The player's statistics are public at /u/a11y-player (issue 14's public profile).
  const profile = await fetch(`${harness.baseUrl}/api/me/profile`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json", Origin: harness.baseUrl, Cookie: player.cookieHeader },
    body: JSON.stringify({ handle: "a11y-player", publicStats: true }),
  });
  if (!profile.ok) throw new Error(`making the player's profile public: ${profile.status} ${await profile.text()}`);
  return { harness, player, newcomer };
}
