/**
 * The whole link workflow clicked through in chromium with the demo partner (/demo/karabast),
 * which talks to the server exactly as the deployed Karabast client does: a new user connects,
 * signs up on the way, approves, refreshes, unlinks on Swubase, and the partner's next refresh
 * fails and shows it is no longer linked.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hasChromium, newUser, startHarness, type Harness } from "./harness.js";

describe.skipIf(!hasChromium)("demo partner link workflow in chromium", () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The demo partner is mounted whenever the environment is not production and DEMO_PARTNER is on.
    harness = await startHarness(() => ({ NODE_ENV: "development", DEMO_PARTNER: "on" }));
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  const notice = () => page.getByRole("status").textContent();

  it("connects a new user, refreshes, and fails to refresh after the user unlinks on Swubase", async () => {
    const user = newUser();
    await page.goto("/demo/karabast");
    await page.getByTestId("not-linked").waitFor();
    const karabastUserId = (await page.getByTestId("karabast-user-id").textContent())?.trim() ?? "";
    expect(karabastUserId).toMatch(/^kb-[0-9a-f]{12}$/);

    // Connect → signed out, so sign-in first; the new user goes on to sign up.
    await page.getByRole("link", { name: "Connect Swubase" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toMatch(/^\/settings\/link\/karabast\?/);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-up");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign up" }).click();

    // Back on the approval card: the Karabast user id and the requested scopes.
    await page.waitForURL((url) => url.pathname === "/settings/link/karabast");
    await page.getByRole("heading", { name: /wants to link to your Swubase account/ }).waitFor();
    await page.getByText(karabastUserId, { exact: true }).waitFor();
    for (const scope of ["decks", "email", "profile", "teams"]) {
      expect(await page.getByText(scope, { exact: true }).isVisible()).toBe(true);
    }
    await page.getByRole("button", { name: "Approve Link" }).click();

    // The demo confirmed the link server to server.
    await page.waitForURL((url) => url.pathname === "/demo/karabast");
    await page.getByTestId("linked").getByRole("heading", { name: /Linked to Swubase/ }).waitFor();
    expect(await notice()).toBe("Linked to Swubase.");

    await page.getByRole("button", { name: "Refresh now" }).click();
    await page.waitForURL((url) => url.pathname === "/demo/karabast");
    await page.getByText("Tokens refreshed.").waitFor();
    expect(await page.getByTestId("refreshed").textContent()).not.toBe("never");

    // Unlink on Swubase.
    await page.goto("/settings/integrations");
    const card = page.getByRole("article", { name: "Karabast (demo)" });
    await card.getByText(karabastUserId).waitFor();
    await card.getByRole("button", { name: "Unlink" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Confirm unlink" }).click();
    await dialog.waitFor({ state: "hidden" });
    await card.getByRole("button", { name: "Unlink" }).waitFor({ state: "detached" });

    // The audit trail tells the story, newest first.
    const activity = page.getByRole("list", { name: "Recent activity" });
    await activity.getByText("Unlinked by you").waitFor();
    const labels = await activity.locator("li > div > div > p").allTextContents();
    expect(labels.map((l) => l.split(" · ")[0])).toEqual([
      "Unlinked by you",
      "Tokens refreshed",
      "Link confirmed by partner",
      "Link approved",
      "Link requested",
    ]);
    expect(labels[0]).toContain("Karabast (demo)");

    // The partner still believes it is linked until its next refresh, which now fails.
    await page.goto("/demo/karabast");
    await page.getByTestId("linked").waitFor();
    await page.getByRole("button", { name: "Refresh now" }).click();
    await page.waitForURL((url) => url.pathname === "/demo/karabast");
    await page.getByText(/Refresh failed/).waitFor();
    expect(await notice()).toMatch(/^Refresh failed \(400\).*You are no longer linked\.$/);
    await page.getByTestId("not-linked").getByRole("heading", { name: "Not linked" }).waitFor();
    expect(await page.getByTestId("linked").count()).toBe(0);
  });
});
