/**
 * The export control on the stats overview: "Download CSV" and "JSON" point at
 * GET /api/stats/export with the page's current filters, and the CSV downloads as a file.
 */
import { readFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAN, OSCILLATOR, QUIGON, TEMPLE } from "./cards.js";
import { hasChromium, startHarness, type Harness } from "./harness.js";
import { seedPlayer, useSession, type SignedUpUser } from "./partner.js";

describe.skipIf(!hasChromium)("stats export links in chromium", () => {
  let harness: Harness;
  let player: SignedUpUser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
    const game = {
      gameId: "export-1", finishedAt: "2026-01-05T18:00:00Z", format: "premier" as const, win: true, leader: HAN, base: OSCILLATOR,
      opponentLeader: QUIGON, opponentBase: TEMPLE, deck: { id: "deck-han", name: 'Han, "Fast" Aggro' },
    };
    ({ player } = await seedPlayer(harness, "kb-export-player", [game]));
    context = await harness.browser.newContext({ baseURL: harness.baseUrl, acceptDownloads: true });
    page = await context.newPage();
    await useSession(context, harness, player);
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
  });

  it("keeps the filters in the download links, and the CSV downloads", async () => {
    await page.goto("/stats?format=premier&from=2026-01-05&leader=9226435975&bo=1");
    const csv = page.getByTestId("export-csv");
    await csv.waitFor();
    const href = new URL((await csv.getAttribute("href"))!, harness.baseUrl);
    expect(href.pathname).toBe("/api/stats/export");
    // Every filter of the page, the leader and best-of too; the file type as `as`, `format` being the game format.
    expect(Object.fromEntries(href.searchParams)).toEqual({ as: "csv", format: "premier", from: "2026-01-05", leader: "9226435975", bo: "1" });
    const json = new URL((await page.getByTestId("export-json").getAttribute("href"))!, harness.baseUrl);
    expect(Object.fromEntries(json.searchParams)).toEqual({ as: "json", format: "premier", from: "2026-01-05", leader: "9226435975", bo: "1" });

    const [download] = await Promise.all([page.waitForEvent("download"), csv.click()]);
    expect(download.suggestedFilename()).toMatch(/^swubase-stats-\d{4}-\d{2}-\d{2}\.csv$/);
    const body = await readFile((await download.path())!, "utf8");
    expect(body.split("\r\n")[0]).toMatch(/^finishedAt,format,lobbyId,matchId,/);
    expect(body).toContain('"Han, ""Fast"" Aggro"');
    expect(body).toContain(",export-1\r\n");
  });
});
