/**
 * The stats pages in chromium over games reported through the real game-result endpoint: the
 * totals and W–L–D records (a draw is reported as two winners), the weekly chart (recharts), the
 * tables, filters kept in the URL, matches (a rematch in the same lobby is another match), a
 * deck's card statistics, and the empty state of a user without games.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CASSIAN, HAN, MAUL, NEGOTIATIONS, OSCILLATOR, QUIGON, TEMPLE, UNDERCITY } from "./cards.js";
import { hasChromium, newUser, startHarness, type Harness } from "./harness.js";
import { seedPlayer, signUpViaApi, useSession, type GameSpec, type SignedUpUser } from "./partner.js";

const HAN_DECK = { id: "deck-han", name: "Han Aggro" };

/**
 * Two premier wins in one best-of-three lobby (week of Jan 5); an open loss, and a rematch in the
 * same lobby, drawn then lost (week of Jan 12). 2–2–1 in all.
 */
const GAMES: GameSpec[] = [
  {
    gameId: "browser-1", finishedAt: "2026-01-05T18:00:00Z", format: "premier", win: true, leader: HAN, base: OSCILLATOR,
    opponentLeader: QUIGON, opponentBase: TEMPLE, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 1, rounds: 7, durationSeconds: 1385,
    metrics: { [NEGOTIATIONS]: { played: 1, drawn: 1 }, [CASSIAN]: { drawn: 1, resourced: 1 } },
  },
  {
    gameId: "browser-2", finishedAt: "2026-01-05T18:40:00Z", format: "premier", win: true, leader: HAN, base: OSCILLATOR,
    opponentLeader: QUIGON, opponentBase: TEMPLE, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 2, rounds: 5, durationSeconds: 1100,
    metrics: { [NEGOTIATIONS]: { drawn: 1 }, [CASSIAN]: { played: 1, drawn: 1 } },
  },
  {
    gameId: "browser-3", finishedAt: "2026-01-14T20:00:00Z", format: "open", win: false, leader: QUIGON, base: TEMPLE,
    opponentLeader: MAUL, opponentBase: UNDERCITY, deck: { id: "deck-qui", name: "Qui-Gon Control" }, rounds: 9, durationSeconds: 2400,
  },
  {
    gameId: "browser-4", finishedAt: "2026-01-13T18:00:00Z", format: "premier", win: "draw", leader: HAN, base: OSCILLATOR,
    opponentLeader: MAUL, opponentBase: UNDERCITY, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 1, rounds: 12, durationSeconds: 2700,
  },
  {
    gameId: "browser-5", finishedAt: "2026-01-13T18:40:00Z", format: "premier", win: false, leader: HAN, base: OSCILLATOR,
    opponentLeader: MAUL, opponentBase: UNDERCITY, deck: HAN_DECK, lobbyId: "bo3-a", sequenceNumber: 2, rounds: 6, durationSeconds: 1500,
  },
];

describe.skipIf(!hasChromium)("stats pages in chromium", () => {
  let harness: Harness;
  let player: SignedUpUser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
    const seeded = await seedPlayer(harness, "kb-stats-player", GAMES);
    player = seeded.player;
    for (const answer of seeded.answers) expect(answer).toMatchObject({ success: true, players: [{ id: "kb-stats-player", attributed: true }, { attributed: false }] });
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  const text = (testId: string) => page.getByTestId(testId).textContent();

  it("shows the totals with W–L–D, the weekly chart and the tables of a player with games", async () => {
    await useSession(context, harness, player);
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Stats" }).click();
    await page.waitForURL((url) => url.pathname === "/stats");

    await page.getByTestId("stat-games").waitFor();
    expect(await text("stat-games")).toBe("5");
    expect(await text("stat-wins")).toBe("2");
    expect(await text("stat-losses")).toBe("2");
    expect(await text("stat-draws")).toBe("1");
    expect(await text("stat-record")).toBe("2–2–1");
    expect(await text("stat-winrate")).toBe("40%"); // wins ÷ games: the draw is a game not won

    const chart = page.getByTestId("weekly-chart");
    await chart.locator("svg.recharts-surface").first().waitFor();
    expect(await chart.isVisible()).toBe(true);
    // Two weeks, two win-rate points (100 % and 0 %: a loss, a draw and a loss).
    const dots = chart.locator(".recharts-line-dot, .recharts-line-dots circle");
    await dots.nth(1).waitFor({ state: "attached" });
    expect(await dots.count()).toBe(2);

    const leaders = page.getByRole("table", { name: "By leader" });
    await leaders.getByText("Han Solo").waitFor();
    expect(await leaders.getByText("Worth the Risk").isVisible()).toBe(true);
    expect(await leaders.locator(`[title="${HAN}"]`).count()).toBe(1);
    expect(await leaders.locator("tbody tr").count()).toBe(2);
    expect(await leaders.getByRole("columnheader").allTextContents()).toContain("W–L–D");
    const hanCells = await leaders.locator("tbody tr", { hasText: "Han Solo" }).locator("td").allTextContents();
    expect(hanCells.slice(1, 3)).toEqual(["4", "2–1–1"]);
    expect(hanCells[3]).toMatch(/^50%/);
    await page.getByRole("table", { name: "By base" }).getByText("Thermal Oscillator").waitFor();

    const recent = page.getByRole("table", { name: "Last games" });
    expect(await recent.locator("tbody tr").count()).toBe(5);
    const newest = recent.locator("tbody tr").first();
    expect(await newest.textContent()).toContain("Darth Maul");
    expect(await newest.textContent()).toContain("Loss");
    expect(await newest.textContent()).toContain("40m 00s");
    const drawn = recent.locator("tbody tr").nth(2);
    expect(await drawn.textContent()).toContain("45m 00s");
    expect(await drawn.getByText("Draw", { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "← Prev" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
  });

  it("keeps the format and date filters in the URL and applies them to every table", async () => {
    await useSession(context, harness, player);
    await page.goto("/stats");
    await page.getByTestId("stat-games").waitFor();

    await page.getByLabel("Format").selectOption("open");
    await page.waitForURL((url) => url.searchParams.get("format") === "open");
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-games"]')?.textContent === "1");
    expect(await text("stat-winrate")).toBe("0%");
    await page.getByRole("table", { name: "By leader" }).getByText("Quigon Jinn").waitFor();
    // The unfiltered rows may linger while the filtered query runs; they must go.
    await page.getByRole("table", { name: "By leader" }).getByText("Han Solo").waitFor({ state: "detached" });

    // A fresh load reads the filters back from the URL.
    await page.goto("/stats?format=premier&from=2026-01-05&to=2026-01-05");
    await page.getByTestId("stat-games").waitFor();
    expect(await text("stat-games")).toBe("2");
    expect(await text("stat-winrate")).toBe("100%");
    expect(await page.getByLabel("Format").inputValue()).toBe("premier");
    expect(await page.getByLabel("From").inputValue()).toBe("2026-01-05");

    // The tabs carry the filters along.
    await page.getByRole("link", { name: "Matchups" }).click();
    await page.waitForURL((url) => url.pathname === "/stats/matchups" && url.searchParams.get("format") === "premier");
    const matchups = page.getByRole("table", { name: "Matchups" });
    await matchups.getByText("Quigon Jinn").waitFor();
    expect(await matchups.locator("tbody tr").count()).toBe(1);

    await page.getByLabel("To").fill("");
    await page.waitForURL((url) => !url.searchParams.has("to"));
    await page.getByLabel("From").fill("2026-01-15"); // after every game
    await page.waitForURL((url) => url.searchParams.get("from") === "2026-01-15" && !url.searchParams.has("to"));
    await page.getByRole("table", { name: "Matchups" }).waitFor({ state: "detached" });
    await page.getByText("Nothing to show for these filters.").waitFor();

    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((url) => url.pathname === "/stats/matchups" && url.search === "");
    // The table comes back once the unfiltered query answers: wait for it, then count.
    const rows = page.getByRole("table", { name: "Matchups" }).locator("tbody tr");
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
  });

  it("shows every win rate with its 95 % interval and n, dims rates from fewer than 10 games, and keeps a leader filter across a reload", async () => {
    await useSession(context, harness, player);
    await page.goto("/stats");
    await page.getByTestId("stat-games").waitFor();

    // 2 of 5 (the draw is a game not won): 11.8–76.9 % (Wilson, z = 1.96), n = 5, dimmed.
    const tile = page.getByTestId("stat-winrate-evidence");
    expect(await tile.getAttribute("title")).toBe("Win rate 40% (95% interval 12%–77%, n = 5 games). Fewer than 10 games: too few to trust.");
    expect(await tile.textContent()).toContain("12%–77% · n 5");
    expect(await tile.getAttribute("data-small-sample")).toBe("true");
    // Dimmed: grey italic text (still AA contrast) and a faded range bar.
    expect(await tile.getByTestId("stat-winrate").evaluate((el) => getComputedStyle(el).fontStyle)).toBe("italic");
    expect(Number(await tile.getByTestId("winrate-bar").evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
    expect(await tile.getByTestId("winrate-range").isVisible()).toBe(true);
    // The reason is in the text too, not only in the dimming: screen readers read it.
    expect(await tile.locator(".sr-only").textContent()).toContain("Fewer than 10 games");

    // A table row: Han Solo 2 of 4 → 15–85 %, n 4, dimmed, its range bar spanning the interval.
    const han = page.getByRole("table", { name: "By leader" }).locator("tbody tr", { hasText: "Han Solo" });
    const rate = han.locator("td").nth(3).locator("[data-small-sample]");
    await rate.waitFor();
    expect(await rate.getAttribute("title")).toBe("Win rate 50% (95% interval 15%–85%, n = 4 games). Fewer than 10 games: too few to trust.");
    expect(await rate.textContent()).toContain("15%–85% · n 4");
    const range = await rate.getByTestId("winrate-range").evaluate((el) => [(el as HTMLElement).style.left, (el as HTMLElement).style.width]);
    expect(range).toEqual(["15%", "70%"]);

    // The leader filter: chosen from the user's leaders, kept in the URL, applied after a reload.
    await page.getByLabel("Leader", { exact: true }).selectOption(QUIGON);
    await page.waitForURL((url) => url.searchParams.get("leader") === QUIGON);
    expect(new URL(page.url()).search).toContain(`leader=${QUIGON}`); // not quoted
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-games"]')?.textContent === "1");
    await page.reload();
    await page.getByTestId("stat-games").waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-games"]')?.textContent === "1");
    expect(await text("stat-winrate")).toBe("0%");
    expect(await page.getByLabel("Leader", { exact: true }).inputValue()).toBe(QUIGON);
    const leaders = page.getByRole("table", { name: "By leader" });
    await leaders.getByText("Quigon Jinn").waitFor();
    expect(await leaders.locator("tbody tr").count()).toBe(1);

    // Bo3 only: Quigon's one game had no lobby, so nothing; the tabs keep both filters.
    await page.getByLabel("Games", { exact: true }).selectOption("3");
    await page.waitForURL((url) => url.searchParams.get("bo") === "3" && url.searchParams.get("leader") === QUIGON);
    await page.getByRole("link", { name: "Matches" }).click();
    await page.waitForURL((url) => url.pathname === "/stats/matches" && url.searchParams.get("leader") === QUIGON && url.searchParams.get("bo") === "3");
    await page.waitForFunction(() => document.querySelector('[data-testid="match-count"]')?.textContent === "0");
  });

  it("keeps tables scrolling inside their section at 375 px wide, not the page", async () => {
    await context.close();
    context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 375, height: 800 } });
    page = await context.newPage();
    await useSession(context, harness, player);
    await page.goto("/stats");
    await page.getByRole("table", { name: "Last games" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.goto("/stats/matchups");
    await page.getByRole("table", { name: "Matchups" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it("shows best-of-three results, a rematch in the same lobby apart, and a deck's card statistics", async () => {
    await useSession(context, harness, player);
    await page.goto("/stats/matches");
    const matches = page.getByRole("table", { name: "Best-of-three matches" });
    await matches.locator("tbody tr").nth(1).waitFor();
    expect(await matches.locator("tbody tr").count()).toBe(2);
    // The rematch: drawn, then lost (score W–L–D, then its games as D and L).
    expect(await matches.locator("tbody tr").first().textContent()).toMatch(/0–1–1.*Loss.*D.*G1.*L.*G2/);
    expect(await matches.locator("tbody tr").nth(1).textContent()).toMatch(/2–0.*Win/);
    expect(await text("match-record")).toBe("1–1–0");

    await page.getByRole("link", { name: "Decks" }).click();
    await page.getByRole("table", { name: "By deck" }).getByRole("link", { name: "Han Aggro" }).click();
    await page.waitForURL((url) => url.pathname === "/stats/decks/deck-han" && url.searchParams.get("deckName") === "Han Aggro");
    await page.getByRole("heading", { name: "Han Aggro" }).waitFor();
    const cards = page.getByRole("table", { name: "Card statistics" });
    const negotiations = cards.locator("tbody tr", { hasText: "Aggressive Negotiations" });
    await negotiations.waitFor();
    expect(await text("deck-record")).toBe("2–1–1");
    // Drawn 1 + 1 over the two games with metrics, played once: 100 % won when played (1–0–0), 100 % when not.
    const cells = await negotiations.locator("td").allTextContents();
    expect(cells.slice(1, 4)).toEqual(["2", "1", "0.5"]);
    expect(cells.at(-2)).toContain("100%");
    expect(cells.at(-2)).toContain("1–0–0 · 1 game");
    expect(await cards.locator("tbody tr", { hasText: "Cassian Andor" }).count()).toBe(1);
  });

  it("explains how to link Karabast to a user without games", async () => {
    const newcomer = await signUpViaApi(harness, newUser());
    await useSession(context, harness, newcomer);
    await page.goto("/stats");
    await page.getByText("Link your Karabast account").waitFor();
    expect(await page.getByTestId("stat-games").count()).toBe(0);
    await page.getByRole("link", { name: "Manage linked services" }).click();
    await page.waitForURL((url) => url.pathname === "/settings/integrations");
  });
});
