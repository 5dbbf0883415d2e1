/**
 * WCAG 2.2 AA in chromium (issue 17): axe-core over every page of the table in a11y-pages.ts at
 * 1280 px and at 375 px (failing on serious and critical violations), no horizontal scrolling of
 * the page itself at those widths nor at 640 px (1280 px at 200 % zoom), and reduced motion.
 */
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ageSessions, PAGES, seedA11yFixtures, type A11yFixtures, type PageCase } from "./a11y-pages.js";
import { AXE_CONTEXT, expectNoSeriousViolations } from "./axe.js";
import { hasChromium, newUser, startHarness, type Harness } from "./harness.js";
import { signUpViaApi, useSession } from "./partner.js";

const WIDTHS = [
  { label: "1280 px", viewport: { width: 1280, height: 900 }, axe: true },
  { label: "375 px", viewport: { width: 375, height: 800 }, axe: true },
  // 1280 px at 200 % zoom: 640 CSS px across, drawn at twice the density.
  { label: "640 px (200 % zoom)", viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, axe: false },
] as const;

describe.skipIf(!hasChromium)("accessibility of every page in chromium", () => {
  let harness: Harness;
  let fx: A11yFixtures;

  beforeAll(async () => {
    // The demo partner (development only) is both a page to check and the client whose approval pages are checked.
    harness = await startHarness(() => ({ NODE_ENV: "development", DEMO_PARTNER: "on" }));
    const seeded = await seedA11yFixtures(harness);
    const callback = `${harness.baseUrl}/demo/karabast/callback`;
    fx = {
      ...seeded,
      approvalPath: (params = {}) =>
        `/settings/link/karabast?${new URLSearchParams({
          response_type: "code",
          client_id: "karabast-demo",
          redirect_uri: callback,
          scope: "decks email profile teams",
          karabast_user_id: "kb-a11y-approval",
          state: "a11y",
          ...params,
        }).toString()}`,
    };
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** One context per width and signed-in user, so the app's files come from the browser's cache after the first page. */
  const contexts = new Map<string, BrowserContext>();

  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
  });

  async function contextFor(entry: PageCase, options: BrowserContextOptions): Promise<BrowserContext> {
    const key = `${JSON.stringify(options)}:${entry.as}`;
    const shared = entry.as === "guest" || entry.as === "player" || entry.as === "newcomer";
    const existing = shared ? contexts.get(key) : undefined;
    if (existing) return existing;
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, ...AXE_CONTEXT, ...options });
    if (entry.as === "player") await useSession(context, harness, fx.player);
    if (entry.as === "newcomer") await useSession(context, harness, fx.newcomer);
    if (entry.as === "fresh" || entry.as === "stale") {
      // A user of its own: these states sign out or age the session.
      const user = await signUpViaApi(harness, newUser());
      if (entry.as === "stale") await ageSessions(harness, user.user.email);
      await useSession(context, harness, user);
    }
    if (shared) contexts.set(key, context);
    return context;
  }

  async function open(entry: PageCase, options: BrowserContextOptions): Promise<{ page: Page; done: () => Promise<void> }> {
    const context = await contextFor(entry, options);
    const page = await context.newPage();
    const shared = [...contexts.values()].includes(context);
    const done = async () => {
      await page.close();
      if (!shared) await context.close();
    };
    try {
      await page.goto(typeof entry.path === "function" ? entry.path(fx) : entry.path);
      await entry.ready(page);
      await entry.act?.(page, fx);
    } catch (err) {
      await done();
      throw err;
    }
    return { page, done };
  }

  for (const width of WIDTHS) {
    describe(`at ${width.label}`, () => {
      for (const entry of PAGES) {
        it(`${entry.name}: ${width.axe ? "no serious axe violation, " : ""}no horizontal page scroll`, async () => {
          const { viewport } = width;
          const { page, done } = await open(entry, { viewport, deviceScaleFactor: "deviceScaleFactor" in width ? width.deviceScaleFactor : 1 });
          try {
            if (width.axe) await expectNoSeriousViolations(page, `${entry.name} at ${width.label}`);
            const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
            expect(scrollWidth, `${entry.name}: the page scrolls sideways at ${width.label}`).toBeLessThanOrEqual(innerWidth);
          } finally {
            await done();
          }
        });
      }
    });
  }

  it("turns transitions and animations off for a user who asks for reduced motion", async () => {
    const durations = async (reducedMotion: "reduce" | "no-preference") => {
      const context = await harness.browser.newContext({ baseURL: harness.baseUrl, reducedMotion });
      try {
        const page = await context.newPage();
        await page.goto("/sign-in");
        const button = page.getByRole("button", { name: "Sign in" });
        await button.waitFor();
        return await button.evaluate((el) => {
          // A spinner as the pending button shows it.
          const spinner = document.createElementNS("http://www.w3.org/2000/svg", "svg");
          spinner.setAttribute("class", "animate-spin");
          el.append(spinner);
          const seconds = (s: string) => Math.max(...s.split(",").map((part) => (part.trim().endsWith("ms") ? parseFloat(part) / 1000 : parseFloat(part))));
          return { transition: seconds(getComputedStyle(el).transitionDuration), animation: seconds(getComputedStyle(spinner).animationDuration) };
        });
      } finally {
        await context.close();
      }
    };
    const moving = await durations("no-preference");
    expect(moving.transition).toBeGreaterThan(0.05);
    expect(moving.animation).toBeGreaterThan(0.05);
    const still = await durations("reduce");
    expect(still.transition).toBeLessThanOrEqual(0.001);
    expect(still.animation).toBeLessThanOrEqual(0.001);
  });

  it("gives the weekly chart its data as text, tells wins, draws and losses apart without colour, and keeps it out of the tab order", async () => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 1280, height: 900 } });
    try {
      await useSession(context, harness, fx.player);
      const page = await context.newPage();
      await page.goto("/stats");
      const chart = page.getByTestId("weekly-chart");
      await chart.locator(".recharts-bar-rectangle").first().waitFor();
      // A summary for screen readers (the drawing itself is hidden from them) ...
      const caption = await chart.locator("figcaption").textContent();
      expect(caption).toMatch(/^Weekly win rate from the week of /);
      expect(caption).toContain("of 2 (2–0–0)");
      expect(caption).toContain("of 2 (0–1–1)");
      expect(await chart.locator("[aria-hidden=true] [tabindex]:not([tabindex='-1'])").count()).toBe(0);
      // ... and the data as a table anyone can open with the keyboard.
      const summary = chart.getByText("Show the data as a table");
      await summary.focus();
      await page.keyboard.press("Enter");
      const table = page.getByRole("table", { name: "Win rate per week" });
      await table.waitFor();
      expect(await table.locator("tbody tr").count()).toBe(2);
      expect(await table.locator("tbody tr").first().locator("td").allTextContents()).toEqual(["Jan 5, 2026", "2", "2", "0", "0", expect.stringMatching(/^100% \(/)]);
      // Stripes and dots besides colour; legend words in a readable grey, not the series colour.
      const fills = await chart.locator(".recharts-bar-rectangle path").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill") ?? ""));
      expect(fills.some((f) => /^url\(#.*-draws\)$/.test(f))).toBe(true);
      expect(fills.some((f) => /^url\(#.*-losses\)$/.test(f))).toBe(true);
      const legend = await chart.locator(".recharts-legend-item-text > span").evaluateAll((spans) => spans.map((s) => getComputedStyle(s).color));
      expect(new Set(legend).size).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("labels every sign-in and sign-up field and says what to autofill", async () => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    try {
      const page = await context.newPage();
      const fields: Record<string, string | null> = {};
      for (const path of ["/sign-in", "/sign-up"]) {
        await page.goto(path);
        await page.locator("form input").first().waitFor();
        for (const input of await page.locator("form input").all()) {
          const label = await input.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? "");
          fields[`${path} ${label}`] = await input.getAttribute("autocomplete");
        }
      }
      expect(fields).toEqual({
        "/sign-in Email": "email",
        "/sign-in Password": "current-password",
        "/sign-up Name": "name",
        "/sign-up Email": "email",
        "/sign-up Password": "new-password",
      });
    } finally {
      await context.close();
    }
  });

  it("announces a refused password on the approval page, ties it to the field and puts the focus back there", async () => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    try {
      const user = await signUpViaApi(harness, newUser());
      await ageSessions(harness, user.user.email);
      await useSession(context, harness, user);
      const page = await context.newPage();
      await page.goto(fx.approvalPath());
      await page.getByRole("button", { name: "Approve Link" }).click();
      const password = page.getByLabel("Password");
      await password.fill("not my password");
      await page.getByRole("button", { name: "Confirm and approve" }).click();
      const error = page.locator("#confirm-password-error");
      await error.waitFor();
      expect(await error.getAttribute("role")).toBe("alert");
      expect(await error.textContent()).toMatch(/invalid email or password/i);
      expect(await password.getAttribute("aria-invalid")).toBe("true");
      expect(await password.getAttribute("aria-describedby")).toBe("confirm-password-error");
      expect(await password.getAttribute("autocomplete")).toBe("current-password");
      await page.waitForFunction(() => document.activeElement?.id === "confirm-password");
    } finally {
      await context.close();
    }
  });
});
