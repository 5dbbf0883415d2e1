/**
 * "Why wasn't my game counted?" in chromium (issue 12): a game Karabast reported with an access
 * token that had expired shows on the integrations page, in words, with Karabast's reporting rules.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAN, OSCILLATOR, QUIGON, TEMPLE } from "./cards.js";
import { hasChromium, startHarness, type Harness } from "./harness.js";
import { gameData, reportGame, seedPlayer, useSession } from "./partner.js";

describe.skipIf(!hasChromium)("games not counted, in chromium", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("lists a game reported with an expired token, with the reason in words", async () => {
    const { player, partner, accessToken } = await seedPlayer(harness, "kb-not-counted", []);
    // The game server's cached token outlived its expiry (and the minute of leeway).
    await harness.server.database.db.execute(
      sql`update user_integration set access_token_expires_at = now() - interval '2 hours' where external_user_id = 'kb-not-counted' and status = 'active'`,
    );
    const spec = {
      gameId: "not-counted-1", finishedAt: new Date().toISOString(), format: "premier" as const, win: true, leader: HAN, base: OSCILLATOR,
      opponentLeader: QUIGON, opponentBase: TEMPLE, deck: { id: "deck-han", name: "Han Aggro" },
    };
    const answer = await reportGame(harness, partner, gameData(spec, { karabastUserId: "kb-not-counted", accessToken }));
    expect(answer).toMatchObject({ players: [{ id: "kb-not-counted", attributed: false, reason: "token_expired" }, { attributed: false }] });

    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 1280, height: 900 } });
    try {
      await useSession(context, harness, player);
      const page = await context.newPage();
      await page.goto("/settings/integrations");
      const list = page.getByRole("list", { name: "Games not counted" });
      await list.waitFor();
      const row = list.getByRole("listitem").first();
      expect(await row.textContent()).toContain("Token expired");
      expect(await row.textContent()).toContain("had expired when it reported the game");
      expect(await row.textContent()).toContain("Han Solo");
      expect(await row.textContent()).toContain("not-counted-1");
      expect(await page.getByText("Premier game that reached round 2").isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
