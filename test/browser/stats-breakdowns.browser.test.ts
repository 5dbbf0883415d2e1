/**
 * The matchup matrix (/stats/matchups: × opponent leader and × opponent base, rows by leader or
 * deck, a minimum of games per cell kept in the URL) and the card metrics (/stats/cards: GD WR,
 * GND WR, IWD, played and resourced win rates, sortable) in chromium, over four games reported
 * through the real game-result endpoint, and both pages at 375 px wide without sideways page scroll.
 *
 *  game  my leader/base  deck       opponent          result  my cards (d drawn, p played, r resourced)
 *  a     Han Oscillator  Han Ramp   Maul Undercity    win     Negotiations d1 p1, Cassian —
 *  b     Han Oscillator  Han Ramp   Maul Undercity    loss    Negotiations —,     Cassian d1 r1
 *  c     Han Oscillator  Han Ramp   Qui-Gon Temple    win     Negotiations d2 r1, Cassian d1 p1
 *  d     Qui-Gon Temple  Qui Tempo  Maul Temple       draw    (no card metrics)
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CASSIAN, HAN, MAUL, NEGOTIATIONS, OSCILLATOR, QUIGON, TEMPLE, UNDERCITY } from "./cards.js";
import { hasChromium, startHarness, type Harness } from "./harness.js";
import { seedPlayer, useSession, type GameSpec, type SignedUpUser } from "./partner.js";

const RAMP = { id: "deck-ramp", name: "Han Ramp" };
const han = { leader: HAN, base: OSCILLATOR, deck: RAMP, format: "premier" as const };

const GAMES: GameSpec[] = [
  { ...han, gameId: "bd-a", finishedAt: "2026-02-02T18:00:00Z", win: true, opponentLeader: MAUL, opponentBase: UNDERCITY, metrics: { [NEGOTIATIONS]: { drawn: 1, played: 1 }, [CASSIAN]: {} } },
  { ...han, gameId: "bd-b", finishedAt: "2026-02-02T19:00:00Z", win: false, opponentLeader: MAUL, opponentBase: UNDERCITY, metrics: { [NEGOTIATIONS]: {}, [CASSIAN]: { drawn: 1, resourced: 1 } } },
  { ...han, gameId: "bd-c", finishedAt: "2026-02-02T20:00:00Z", win: true, opponentLeader: QUIGON, opponentBase: TEMPLE, metrics: { [NEGOTIATIONS]: { drawn: 2, resourced: 1 }, [CASSIAN]: { drawn: 1, played: 1 } } },
  {
    gameId: "bd-d", finishedAt: "2026-02-02T21:00:00Z", format: "premier", win: "draw", leader: QUIGON, base: TEMPLE, deck: { id: "deck-qui", name: "Qui Tempo" },
    opponentLeader: MAUL, opponentBase: TEMPLE,
  },
];

describe.skipIf(!hasChromium)("matchup matrix and card metrics in chromium", () => {
  let harness: Harness;
  let player: SignedUpUser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
    ({ player } = await seedPlayer(harness, "kb-breakdowns", GAMES));
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function open(width: number) {
    context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width, height: 900 } });
    page = await context.newPage();
    await useSession(context, harness, player);
  }

  beforeEach(async () => {
    await open(1280);
  });

  afterEach(async () => {
    await context?.close();
  });

  const cell = (matrix: string, row: string, column: string) => page.getByTestId(matrix).locator(`[data-testid="matrix-cell"][data-row="${row}"][data-column="${column}"]`);

  it("shows the matrix against opponent leaders and bases, with a minimum of games and the deck switch kept in the URL", async () => {
    await page.goto("/stats");
    await page.getByRole("link", { name: "Matchups" }).click();
    const leaders = page.getByRole("table", { name: "Matchup matrix by opponent leader" });
    await leaders.waitFor();

    // Rows: Han (3 games), Qui-Gon (1); columns: Maul (3), Qui-Gon (1).
    expect(await leaders.locator("tbody th[scope=row]").allTextContents()).toEqual(["Han SoloWorth the Risk", "Quigon JinnStudent of the Living Force"]);
    expect(await leaders.locator("thead th[scope=col]").allTextContents()).toEqual([
      "Your leadervs opponent leader",
      "Darth MaulSith Revealed3 games",
      "Quigon JinnStudent of the Living Force1 game",
    ]);
    // Han vs Maul: 1–1–0, 50 %, n 2, dimmed (fewer than 10 games) with the reason for screen readers.
    const hanMaul = cell("matrix-leaders", HAN, MAUL);
    expect(await hanMaul.textContent()).toContain("50%");
    expect(await hanMaul.textContent()).toContain("1–1–0");
    expect(await hanMaul.locator("[data-small-sample]").getAttribute("title")).toBe("Win rate 50% (95% interval 9%–91%, n = 2 games). Fewer than 10 games: too few to trust.");
    expect(await cell("matrix-leaders", QUIGON, MAUL).textContent()).toContain("0–0–1"); // the draw: a game not won
    expect(await cell("matrix-leaders", QUIGON, QUIGON).textContent()).toBe("—no games");

    // Against bases: Undercity (2 games), then Temple (2).
    const bases = page.getByRole("table", { name: "Matchup matrix by opponent base" });
    expect(await bases.locator("thead th[scope=col]").allTextContents()).toEqual(["Your leadervs opponent base", "Shadowed Undercity2 games", "Jedi Temple2 games"]);
    expect(await cell("matrix-bases", HAN, TEMPLE).textContent()).toContain("1–0–0");
    expect(await cell("matrix-bases", QUIGON, TEMPLE).textContent()).toContain("0–0–1");

    // At least 2 games per cell: only Han vs Maul and Han vs Undercity stay; kept across a reload.
    await page.getByLabel("Min. games per cell").fill("2");
    await page.waitForURL((url) => url.searchParams.get("minGames") === "2");
    await leaders.locator("tbody th[scope=row]", { hasText: "Quigon Jinn" }).waitFor({ state: "detached" });
    await page.reload();
    await leaders.waitFor();
    expect(await page.getByLabel("Min. games per cell").inputValue()).toBe("2");
    expect(await leaders.locator("tbody th[scope=row]").count()).toBe(1);
    expect(await leaders.locator("[data-testid=matrix-cell]").count()).toBe(1);
    expect(await bases.locator("[data-testid=matrix-cell]").allTextContents()).toEqual([expect.stringContaining("1–1–0")]);

    // Rows by deck: the deck's name, its leader beneath.
    await page.getByLabel("Min. games per cell").fill("");
    await page.waitForURL((url) => !url.searchParams.has("minGames"));
    await page.getByText("My decks").click();
    await page.waitForURL((url) => url.searchParams.get("by") === "deck");
    await leaders.locator("tbody th[scope=row]", { hasText: "Han Ramp" }).waitFor();
    expect(await leaders.locator("tbody th[scope=row]").allTextContents()).toEqual(["Han RampHan Solo", "Qui TempoQuigon Jinn"]);
    expect(await cell("matrix-leaders", RAMP.id, MAUL).textContent()).toContain("1–1–0");
    expect(await page.getByRole("table", { name: "Matchups" }).getByRole("columnheader").first().textContent()).toBe("Your deck");
  });

  it("shows each card's GD WR, GND WR, IWD, played and resourced win rates with their n, sortable", async () => {
    await page.goto("/stats");
    await page.getByRole("navigation", { name: "Stats sections" }).getByRole("link", { name: "Cards" }).click();
    await page.waitForURL((url) => url.pathname === "/stats/cards");
    const table = page.getByRole("table", { name: "Card metrics" });
    await table.locator("tbody tr").nth(1).waitFor();
    expect(await page.getByTestId("cards-coverage").textContent()).toBe("Card data for 3 of 4 games.");

    const cells = async (name: string) => table.locator("tbody tr", { hasText: name }).locator("td").allTextContents();
    // Negotiations: in deck 3 (2–1–0), drawn in a and c (2–0–0, 100 %), not drawn in b (0–1–0, 0 %): IWD +100 points;
    // played in a (1–0–0), resourced in c (1–0–0).
    const negotiations = await cells("Aggressive Negotiations");
    expect(negotiations[1]).toBe("3");
    expect(negotiations[2]).toBe("2");
    expect(negotiations[3]).toMatch(/^100%.*n 2.*2–0–0$/);
    expect(negotiations[4]).toMatch(/^0%.*n 1.*0–1–0$/);
    expect(negotiations[5]).toMatch(/^\+100[.,]0 pp/);
    expect(negotiations[6]).toMatch(/^100%.*n 1.*1–0–0$/);
    expect(negotiations[7]).toMatch(/^100%.*n 1.*1–0–0$/);
    // Cassian: drawn in b and c (1–1–0, 50 %), not drawn in a (1–0–0, 100 %): IWD −50 points, dimmed (few games).
    const cassian = await cells("Cassian Andor");
    expect(cassian[3]).toMatch(/^50%.*n 2.*1–1–0$/);
    expect(cassian[5]).toMatch(/^-50[.,]0 pp/);
    const iwd = table.locator("tbody tr", { hasText: "Cassian Andor" }).getByTestId("iwd");
    expect(await iwd.getAttribute("data-small-sample")).toBe("true");
    expect(await iwd.getAttribute("title")).toMatch(/^Improvement when drawn -50[.,]0 pp \(n = 2 games drawn, 1 not drawn\)\. Fewer than 10 games/);

    // Sorting: GND WR descending puts Cassian (100 %) first, then IWD descending Negotiations.
    const firstCard = async () => (await table.locator("tbody tr").first().locator("td").first().textContent()) ?? "";
    expect(await firstCard()).toContain("Aggressive Negotiations");
    await table.getByRole("button", { name: "GND WR" }).click();
    expect(await firstCard()).toContain("Cassian Andor");
    expect(await table.getByRole("columnheader", { name: "GND WR" }).getAttribute("aria-sort")).toBe("descending");
    await table.getByRole("button", { name: "IWD" }).click();
    expect(await firstCard()).toContain("Aggressive Negotiations");
    await table.getByRole("button", { name: "IWD" }).click();
    expect(await firstCard()).toContain("Cassian Andor");

    // The deck filter narrows it: the Qui-Gon deck has no card data.
    await page.getByLabel("Deck", { exact: true }).selectOption("deck-qui");
    await page.waitForURL((url) => url.searchParams.get("deck") === "deck-qui");
    await page.getByText("No card metrics were reported for these games.").waitFor();
  });

  it("at 375 px wide the matrix and the card table scroll inside their own box, never the page", async () => {
    await context.close();
    await open(375);
    const pageScrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

    await page.goto("/stats/matchups");
    await page.getByRole("table", { name: "Matchup matrix by opponent leader" }).waitFor();
    expect(await pageScrollWidth()).toBeLessThanOrEqual(375);

    await page.goto("/stats/cards");
    const table = page.getByRole("table", { name: "Card metrics" });
    await table.locator("tbody tr").first().waitFor();
    expect(await pageScrollWidth()).toBeLessThanOrEqual(375);
    // The table is wider than the screen: its own box scrolls sideways.
    const box = await table.evaluate((el) => ({ scroll: el.parentElement!.scrollWidth, client: el.parentElement!.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
  });
});
