/**
 * axe-core in the browser suites: inject node_modules/axe-core/axe.min.js into the page, run it
 * against WCAG 2.0/2.1/2.2 A and AA, and fail on every serious or critical violation with what
 * axe says about it (rule, help, where, and how to fix it).
 *
 * The app's CSP forbids inline scripts, and addScriptTag injects the file inline: contexts that run
 * axe are created with `bypassCSP: true` (see AXE_CONTEXT).
 */
import { createRequire } from "node:module";
import type { AxeResults, ImpactValue, Result } from "axe-core";
import type { BrowserContextOptions, Page } from "playwright-core";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** What a context needs for axe to be injected into the app's pages. */
export const AXE_CONTEXT: BrowserContextOptions = { bypassCSP: true };

const FAILING: ImpactValue[] = ["serious", "critical"];

/** Runs axe on the page as it is now (the whole document). */
async function runAxe(page: Page): Promise<AxeResults> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  if (!loaded) {
    await page.addScriptTag({ path: AXE_PATH });
    const ok = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
    if (!ok) throw new Error("axe-core did not load: was the page's CSP bypassed (AXE_CONTEXT)?");
  }
  return page.evaluate(
    (tags) => (window as unknown as { axe: typeof import("axe-core") }).axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    WCAG_TAGS,
  );
}

function seriousViolations(results: Pick<AxeResults, "violations">): Result[] {
  return results.violations.filter((v) => FAILING.includes(v.impact ?? null));
}

/** One block per violation: rule, impact, help and its URL, then every element with axe's fix. */
function formatViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        const fix = (n.failureSummary ?? "").replace(/\n/g, "\n        ");
        return `    at ${n.target.map(String).join(" ")}\n      ${n.html}\n      ${fix}`;
      });
      return `[${v.impact}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes.join("\n")}`;
    })
    .join("\n\n");
}

/** Fails (throws) when axe finds a serious or critical violation; `where` names the page in the message. */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const violations = seriousViolations(await runAxe(page));
  if (violations.length > 0) {
    throw new Error(`${violations.length} serious or critical accessibility violation(s) on ${where}:\n\n${formatViolations(violations)}`);
  }
}
