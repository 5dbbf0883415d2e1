/**
 * Keyboard only (issue 17): the whole link flow from the demo partner (connect, sign up on the way,
 * approve, back at the partner), unlinking on the integrations page with its confirm dialog (focus
 * inside, trapped, Escape closes, focus back on the opener), and where the focus goes after a
 * navigation. No mouse: Tab, Shift+Tab, Enter, Space and Escape only, and every stop must show its focus.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HAN, OSCILLATOR, QUIGON, TEMPLE } from "./cards.js";
import { hasChromium, newUser, startHarness, type Harness } from "./harness.js";
import { focused, tabTo } from "./keyboard.js";
import { seedPlayer, useSession, type GameSpec, type SignedUpUser } from "./partner.js";

describe.skipIf(!hasChromium)("keyboard only, in chromium", () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness(() => ({ NODE_ENV: "development", DEMO_PARTNER: "on" }));
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

  /** A user whose Karabast id has two games reported. */
  async function playerWithGames(karabastUserId: string): Promise<SignedUpUser> {
    const games: GameSpec[] = [true, false].map((win, i) => ({
      gameId: `${karabastUserId}-${i}`, finishedAt: `2026-01-0${5 + i}T18:00:00Z`, format: "premier", win, leader: HAN, base: OSCILLATOR,
      opponentLeader: QUIGON, opponentBase: TEMPLE, deck: { id: "deck-han", name: "Han Aggro" },
    }));
    return (await seedPlayer(harness, karabastUserId, games)).player;
  }

  it("links from the partner with the keyboard alone: connect, sign up (with an error on the way), approve, back at the partner", async () => {
    const user = newUser();
    await page.goto("/demo/karabast");
    await page.getByTestId("not-linked").waitFor();

    await tabTo(page, "Connect Swubase");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect((await focused(page)).name).toBe("Email"); // the form's own autofocus

    await tabTo(page, "Create an account");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/sign-up");
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    expect((await focused(page)).name).toBe("Name");

    // Submitting with nothing filled in: the errors are announced, tied to their fields, and the focus is on the first.
    await page.keyboard.press("Enter");
    await page.locator("#name-error").waitFor();
    expect(await page.locator("#name-error").getAttribute("role")).toBe("alert");
    const name = page.getByLabel("Name");
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.getAttribute("aria-describedby")).toContain("name-error");
    expect((await focused(page)).name).toBe("Name");

    await page.keyboard.type(user.name);
    await page.keyboard.press("Tab");
    expect((await focused(page)).name).toBe("Email");
    await page.keyboard.type(user.email);
    await page.keyboard.press("Tab");
    expect((await focused(page)).name).toBe("Password");
    await page.keyboard.type(user.password);
    await page.keyboard.press("Enter");

    // On the approval page, the focus has moved into the new page (not left on a button that is gone).
    await page.waitForURL((url) => url.pathname === "/settings/link/karabast");
    await page.getByRole("heading", { name: /wants to link to your Swubase account/ }).waitFor();
    const landed = await focused(page);
    expect(landed.inMain, `focus after signing up: ${landed.label}`).toBe(true);

    await tabTo(page, "Approve Link");
    await page.keyboard.press(" ");
    await page.waitForURL((url) => url.pathname === "/demo/karabast");
    await page.getByTestId("linked").getByRole("heading", { name: /Linked to Swubase/ }).waitFor();
    expect(await page.getByRole("status").textContent()).toBe("Linked to Swubase.");
  });

  it("unlinks with the keyboard alone; the confirm dialog traps focus, closes on Escape and gives the focus back", async () => {
    const { player } = await seedPlayer(harness, "kb-keyboard", []);
    await useSession(context, harness, player);
    await page.goto("/settings/integrations");
    const card = page.getByRole("article", { name: "Karabast" });
    await card.getByText("kb-keyboard").waitFor();

    await tabTo(page, "Unlink");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Unlink Karabast?" });
    await dialog.waitFor();
    // Focus starts inside, on the safe choice.
    let now = await focused(page);
    expect(now.inDialog).toBe(true);
    expect(now.name).toBe("Keep link");

    // Tab and Shift+Tab cycle through the dialog's two buttons and never leave it.
    const forward: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      now = await focused(page);
      expect(now.inDialog, `Tab left the dialog for ${now.label}`).toBe(true);
      expect(now.indicator, `no visible focus on ${now.label}`).toBe(true);
      forward.push(now.name);
    }
    expect(forward).toEqual(["Confirm unlink", "Keep link", "Confirm unlink", "Keep link"]);
    const backward: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Shift+Tab");
      now = await focused(page);
      expect(now.inDialog, `Shift+Tab left the dialog for ${now.label}`).toBe(true);
      backward.push(now.name);
    }
    expect(backward).toEqual(["Confirm unlink", "Keep link", "Confirm unlink"]);

    // Escape closes it, nothing is unlinked, and the focus is back on the button that opened it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    now = await focused(page);
    expect(now.label).toBe('button "Unlink"');
    expect(await card.getByRole("button", { name: "Unlink" }).count()).toBe(1);

    // Open it again with Space, go to "Confirm unlink" and press Enter.
    await page.keyboard.press(" ");
    await dialog.waitFor();
    await page.keyboard.press("Tab");
    expect((await focused(page)).name).toBe("Confirm unlink");
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await card.getByRole("button", { name: "Unlink" }).waitFor({ state: "detached" });
    await card.getByText("Revoked").waitFor();
    // The opener is gone: the focus is on the page's heading, and the result was announced.
    now = await focused(page);
    expect(now.label).toBe('h1 "Integrations"');
    expect(await page.getByRole("status").filter({ hasText: "Karabast unlinked." }).count()).toBe(1);
  });

  it("skips to the content, moves the focus to the new page's heading after a navigation, and keeps it on the stats tabs and filters", async () => {
    await useSession(context, harness, await playerWithGames("kb-keyboard-nav"));
    await page.goto("/settings");
    await page.getByRole("heading", { name: "Settings" }).waitFor();

    // The first Tab reaches the skip link; Enter jumps past the header.
    const skip = await tabTo(page, "Skip to main content", { max: 1 });
    expect(skip.indicator).toBe(true);
    expect(await page.getByRole("link", { name: "Skip to main content" }).isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    expect((await focused(page)).tag).toBe("main");
    await tabTo(page, /^Integrations ?Linked services/, { max: 3 });

    // A navigation from the header: the focus goes to the new page's main heading.
    await tabTo(page, "Integrations", { backwards: true });
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/settings/integrations");
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    expect((await focused(page)).label).toBe('h1 "Integrations"');

    // The stats tabs stay on screen: the focus stays on the tab that was pressed, and on a filter that was changed.
    await page.goto("/stats");
    await page.getByTestId("stat-games").waitFor();
    await tabTo(page, "Matchups");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/stats/matchups");
    await page.getByRole("table", { name: "Matchups" }).waitFor();
    expect((await focused(page)).label).toBe('a "Matchups"');
    await tabTo(page, "Format", { backwards: true });
    await page.keyboard.press("ArrowDown");
    await page.waitForURL((url) => url.searchParams.has("format"));
    expect((await focused(page)).name).toBe("Format");
  });

  it("keeps the focused control clear of the sticky header when tabbing back up a long page at 375 px", async () => {
    await context.close();
    context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 375, height: 640 } });
    page = await context.newPage();
    await useSession(context, harness, await playerWithGames("kb-keyboard-narrow"));
    await page.goto("/stats");
    await page.getByRole("table", { name: "Last games" }).waitFor();
    await tabTo(page, "Download CSV");
    // Every stop on the way back up scrolls into view below the header, not behind it (tabTo checks).
    await tabTo(page, "Show the data as a table", { backwards: true });
  });
});
