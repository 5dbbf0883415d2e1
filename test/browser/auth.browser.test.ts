/**
 * Sign-up, sign-in and sign-out in real chromium against a real server: the sign-in redirect
 * back to a protected page with its query intact, inline form errors and the open-redirect guard.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hasChromium, newUser, pathAndQuery, signOut, signUp, startHarness, submitSignIn, type Harness } from "./harness.js";

describe.skipIf(!hasChromium)("accounts in chromium", () => {
  let harness: Harness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
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

  it("returns to the protected page with its query string byte-identical after signing in", async () => {
    const user = newUser();
    await signUp(page, user);
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.getByText(user.email).isVisible()).resolves.toBe(true);
    await signOut(page);

    const target = "/settings/link/karabast?response_type=code&client_id=abc&scope=decks+email&karabast_user_id=k1";
    await page.goto(target);
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe(target);

    await submitSignIn(page, user);
    await page.waitForURL((url) => url.pathname === "/settings/link/karabast");
    expect(await pathAndQuery(page)).toBe(target);
    // The approval page has checked the request (this client does not exist) and the router
    // has not rewritten the address in the meantime.
    await page.getByRole("heading", { name: "This link request can't be used" }).waitFor();
    expect(await pathAndQuery(page)).toBe(target);
  });

  it("keeps unusual query strings untouched through the sign-in redirect and on a fresh load", async () => {
    const user = newUser();
    await signUp(page, user);
    await signOut(page);

    // Values the router would otherwise re-encode: "~", lower-case escapes, leading zeros, a bare key.
    const target = "/settings/link/karabast?client_id=abc&scope=decks+email+profile+teams&state=s~1%2f2&n=007&empty";
    await page.goto(target);
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await submitSignIn(page, user);
    await page.waitForURL((url) => url.pathname === "/settings/link/karabast");
    await page.getByRole("heading", { name: "This link request can't be used" }).waitFor();
    expect(await pathAndQuery(page)).toBe(target);

    await page.goto(target);
    await page.getByRole("heading", { name: "This link request can't be used" }).waitFor();
    expect(await pathAndQuery(page)).toBe(target);
  });

  it("shows an inline error for a password shorter than 8 characters", async () => {
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Finn");
    await page.getByLabel("Email").fill(newUser().email);
    await page.getByLabel("Password").fill("12345");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("Password must be at least 8 characters.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-up");
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows the server's error for a wrong password and for an email already taken", async () => {
    const user = newUser();
    await signUp(page, user);
    await signOut(page);

    await page.goto("/sign-in");
    await submitSignIn(page, { ...user, password: "wrong password!" });
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/invalid email or password/i);

    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Someone else");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("another password");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/already exists/i);
  });

  it("ignores a redirect to another origin and lands on / of this site", async () => {
    const user = newUser();
    await signUp(page, user);
    await signOut(page);

    await page.goto("/sign-in?redirect=//evil.example");
    await submitSignIn(page, user);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    const landed = new URL(page.url());
    expect(landed.origin).toBe(harness.baseUrl);
    expect(landed.pathname).toBe("/");
  });

  it("links between sign-in and sign-up keep the redirect target", async () => {
    const target = "/settings/integrations";
    await page.goto(`/sign-in?redirect=${encodeURIComponent(target)}`);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-up");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe(target);

    await page.getByLabel("Name").fill("Poe");
    await page.getByLabel("Email").fill(newUser().email);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL((url) => url.pathname === target);
    await page.getByRole("heading", { name: "Integrations" }).waitFor();
  });

  it("shows a friendly page for unknown paths", async () => {
    await page.goto("/no/such/page");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
  });
});
