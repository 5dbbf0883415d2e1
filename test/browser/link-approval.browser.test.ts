/**
 * The approval page end to end in chromium: a configured Karabast client asks to link, the user
 * approves (or declines), the browser returns to the partner, and the link can be removed under
 * Integrations. The partner's callback is answered by the test, not by a real partner.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hasChromium, newUser, signUp, startHarness, type Harness } from "./harness.js";

const CLIENT_ID = "karabast-e2e";
const CLIENT_SECRET = randomBytes(32).toString("hex");
const CALLBACK_PATH = "/partner/callback";

describe.skipIf(!hasChromium)("link approval in chromium", () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;
  let callbackUrl: string;

  beforeAll(async () => {
    harness = await startHarness((baseUrl) => ({
      KARABAST_CLIENT_ID: CLIENT_ID,
      KARABAST_CLIENT_SECRET: CLIENT_SECRET,
      KARABAST_REDIRECT_URIS: `${baseUrl}${CALLBACK_PATH}`,
      KARABAST_SCOPES: "decks email profile teams",
      DEMO_PARTNER: "off",
    }));
    callbackUrl = `${harness.baseUrl}${CALLBACK_PATH}`;
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    await context.route(`**${CALLBACK_PATH}*`, (route) => route.fulfill({ contentType: "text/html", body: "<h1>Partner callback</h1>" }));
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  function approvalPath(params: Record<string, string>) {
    const query = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: callbackUrl, ...params });
    return `/settings/link/karabast?${query.toString()}`;
  }

  async function waitForCallback(): Promise<URLSearchParams> {
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    return new URL(page.url()).searchParams;
  }

  it("approves a link, returns to the partner, and can unlink it later", async () => {
    const user = newUser();
    await signUp(page, user);
    await page.goto(approvalPath({ scope: "decks email", karabast_user_id: "kb-42", state: "st~1" }));

    await page.getByRole("heading", { name: "Karabast wants to link to your Swubase account" }).waitFor();
    await page.getByText("Karabast user id").waitFor();
    await page.getByText("kb-42").waitFor();
    await page.getByText(`Signed in as ${user.name} (${user.email})`).waitFor();
    await page.getByRole("button", { name: "Approve Link" }).click();

    const callback = await waitForCallback();
    expect(callback.get("state")).toBe("st~1");
    expect(callback.get("karabast_user_id")).toBe("kb-42");
    const linkToken = callback.get("link_token");
    expect(linkToken).toBeTruthy();

    // The partner finishes the link server-to-server.
    const confirm = await fetch(`${harness.baseUrl}/api/integration/link-confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, link_token: linkToken, karabast_user_id: "kb-42" }),
    });
    expect(confirm.status).toBe(200);

    await page.goto("/settings/integrations");
    const card = page.getByRole("article", { name: "Karabast" });
    await card.getByText("kb-42").waitFor();
    await card.getByRole("button", { name: "Unlink" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Confirm unlink" }).click();
    await dialog.waitFor({ state: "hidden" });
    await card.getByRole("button", { name: "Unlink" }).waitFor({ state: "detached" });
  });

  it("asks for the password again when the session is older than 24 h, then approves", async () => {
    const user = newUser();
    await signUp(page, user);
    await harness.server.database.db.execute(
      sql`update session set created_at = created_at - interval '25 hours' where user_id = (select id from "user" where email = ${user.email})`,
    );
    await page.goto(approvalPath({ karabast_user_id: "kb-stale", state: "s-stale" }));
    await page.getByRole("button", { name: "Approve Link" }).click();
    await page.getByText("You signed in more than 24 hours ago").waitFor();
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Confirm and approve" }).click();
    await page.getByText(/invalid email or password/i).waitFor();
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Confirm and approve" }).click();
    const callback = await waitForCallback();
    expect(callback.get("state")).toBe("s-stale");
    expect(callback.get("link_token")).toBeTruthy();
  });

  it("declines a link and tells the partner", async () => {
    await signUp(page, newUser());
    await page.goto(approvalPath({ karabast_user_id: "kb-7", state: "s2" }));
    await page.getByRole("button", { name: "Cancel" }).click();
    const callback = await waitForCallback();
    expect(callback.get("error")).toBe("access_denied");
    expect(callback.get("state")).toBe("s2");
  });

  it("sends a request the partner can fix back to the partner with the error", async () => {
    await signUp(page, newUser());
    await page.goto(approvalPath({ scope: "decks lightsabers", karabast_user_id: "kb-7", state: "s3" }));
    const callback = await waitForCallback();
    expect(callback.get("error")).toBe("invalid_scope");
    expect(callback.get("state")).toBe("s3");
  });

  it("never redirects to an unregistered redirect URI", async () => {
    await signUp(page, newUser());
    await page.goto(approvalPath({ redirect_uri: "https://evil.example/cb", karabast_user_id: "kb-7" }));
    await page.getByRole("heading", { name: "This link request can't be used" }).waitFor();
    expect(new URL(page.url()).origin).toBe(harness.baseUrl);
  });
});
