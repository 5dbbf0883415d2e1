/**
 * A public profile page (/u/{handle}), its settings card on /settings, and the meta page (/meta)
 * in chromium, over games reported through the real game-result endpoint. The meta is refreshed
 * by hand (the server's own job runs every minute).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServices } from "../../src/services.js";
import { HAN, OSCILLATOR, QUIGON, TEMPLE } from "./cards.js";
import { hasChromium, newUser, startHarness, type Harness } from "./harness.js";
import { seedPlayer, signUpViaApi, useSession, type GameSpec, type SignedUpUser } from "./partner.js";

/** 20 premier games of Han / Oscillator against Qui-Gon / Temple: 12 won, 7 lost, 1 drawn. */
const GAMES: GameSpec[] = Array.from({ length: 20 }, (_, i) => ({
  gameId: `public-${i}`,
  finishedAt: new Date(Date.UTC(2026, 0, 5, 10, i)).toISOString(),
  format: "premier" as const,
  win: i < 12 ? true : i < 19 ? false : ("draw" as const),
  leader: HAN,
  base: OSCILLATOR,
  opponentLeader: QUIGON,
  opponentBase: TEMPLE,
  deck: { id: "deck-han", name: "Han Aggro" },
}));

describe.skipIf(!hasChromium)("public profile and meta pages in chromium", () => {
  let harness: Harness;
  let player: SignedUpUser;
  let rival: SignedUpUser;
  let context: BrowserContext;
  let page: Page;

  const patchProfile = (who: SignedUpUser, body: unknown) =>
    fetch(`${harness.baseUrl}/api/me/profile`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", Origin: harness.baseUrl, Cookie: who.cookieHeader },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    harness = await startHarness();
    ({ player } = await seedPlayer(harness, "kb-public-player", GAMES));
    rival = await signUpViaApi(harness, newUser());
    const services = createServices({ config: harness.config, db: harness.server.database.db, clock: () => new Date() });
    await services.metaRefresh.runOnce();
    expect((await patchProfile(rival, { handle: "Taken_Handle" })).status).toBe(200);
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

  it("sets a handle and makes the statistics public from /settings, with clear errors", async () => {
    await useSession(context, harness, player);
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Public profile" });
    const handle = form.getByLabel("Handle");
    await handle.waitFor();
    expect(await handle.inputValue()).toBe("");
    expect(await form.getByLabel("Include my games in the meta").isChecked()).toBe(true);
    expect(await form.getByLabel("Make my statistics public").isChecked()).toBe(false);

    await handle.fill("ab");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("A handle has 3 to 30 characters.").waitFor();

    await handle.fill("admin");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText('handle "admin" is reserved; choose another').waitFor();
    expect(await handle.getAttribute("aria-invalid")).toBe("true");

    await handle.fill("TAKEN_handle");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("handle is already taken; choose another").waitFor();

    await handle.fill("Rey_Browser");
    await form.getByLabel("Make my statistics public").check();
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("Saved.").waitFor();
    await form.getByRole("link", { name: "View your public page" }).click();
    await page.waitForURL((url) => url.pathname === "/u/Rey_Browser");
    await page.getByRole("heading", { name: "@Rey_Browser" }).waitFor();
  });

  it("shows a public page to anyone, in any case of the handle, without the player's email or Karabast id", async () => {
    expect((await patchProfile(player, { handle: "Rey_Browser", publicStats: true })).status).toBe(200);
    await page.goto("/u/rey_browser");
    await page.getByRole("heading", { name: "@Rey_Browser" }).waitFor();
    expect(await page.getByTestId("public-games").textContent()).toBe("20");
    expect(await page.getByTestId("public-record").textContent()).toBe("12–7–1");
    expect(await page.getByTestId("public-winrate").textContent()).toBe("60%");
    const leaders = page.getByRole("table", { name: "By leader" });
    expect(await leaders.locator("tbody tr").count()).toBe(1);
    expect(await leaders.getByText("Han Solo").isVisible()).toBe(true);
    await page.getByRole("table", { name: "By base" }).getByText("Thermal Oscillator").waitFor();
    const recent = page.getByRole("table", { name: "Recent games" });
    expect(await recent.locator("tbody tr").count()).toBe(10);
    expect(await recent.locator("tbody tr").first().textContent()).toContain("Draw"); // the newest game
    await page.getByRole("button", { name: "Next →" }).click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2");
    const text = (await page.locator("body").textContent()) ?? "";
    for (const secret of [player.user.email, player.user.name, "kb-public-player"]) expect(text.includes(secret), secret).toBe(false);

    // Private again: the same address is "not found" at once.
    expect((await patchProfile(player, { publicStats: false })).status).toBe(200);
    await page.goto("/u/Rey_Browser");
    await page.getByRole("heading", { name: "No public profile here" }).waitFor();
    await page.goto("/u/nobody-has-this");
    await page.getByRole("heading", { name: "No public profile here" }).waitFor();
    expect(await page.getByText("@nobody-has-this").isVisible()).toBe(true);
  });

  it("shows the meta to anyone, with the 20-game threshold and the filters in the URL", async () => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Meta" }).click();
    await page.waitForURL((url) => url.pathname === "/meta");
    const leaders = page.getByRole("table", { name: "Meta by leader" });
    await leaders.getByText("Han Solo").waitFor();
    const cells = await leaders.locator("tbody tr").first().locator("td").allTextContents();
    expect(cells.slice(1, 3)).toEqual(["20", "12–7–1"]);
    expect(cells[3]).toMatch(/^60%/);
    // The unlinked opponents' Qui-Gon never counts.
    expect(await leaders.locator("tbody tr").count()).toBe(1);
    await page.getByRole("table", { name: "Meta by base" }).getByText("Thermal Oscillator").waitFor();
    expect(await page.getByTestId("meta-note").textContent()).toMatch(/at least 20 games.*last updated/);

    await page.getByLabel("Format").selectOption("open");
    await page.waitForURL((url) => url.searchParams.get("format") === "open");
    await page.getByText("No leader has 20 games or more in this period and format yet.").waitFor();
    await page.goto("/meta?from=2026-01-05&to=2026-01-05");
    await leaders.getByText("Han Solo").waitFor();
    await page.goto("/meta?from=2026-01-06");
    await page.getByText("No base has 20 games or more in this period and format yet.").waitFor();
  });
});
