/**
 * Keyboard-only driving for the browser suites: Tab to a control by its name (checking at every
 * stop that the focus can be seen), and what has the focus now.
 */
import type { Page } from "playwright-core";

export interface Focused {
  /** e.g. `button "Approve Link"`, `input "Email"`, `body`. */
  label: string;
  tag: string;
  name: string;
  /** An outline, or a box-shadow (ring) that the element does not have unfocused. */
  indicator: boolean;
  inDialog: boolean;
  inMain: boolean;
  /** Entirely behind the sticky page header (WCAG 2.4.11). */
  obscured: boolean;
}

/** What has the focus, and whether it can be seen. */
export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { label: "body", tag: "body", name: "", indicator: false, inDialog: false, inMain: false, obscured: false };
    const tag = el.tagName.toLowerCase();
    const labelled = el.getAttribute("aria-labelledby");
    const input = el as HTMLInputElement;
    const name = (
      el.getAttribute("aria-label") ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      (input.labels?.[0]?.textContent || null) ??
      el.textContent ??
      ""
    ).trim().replace(/\s+/g, " ");
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    // A ring: the same element unfocused (a shallow clone) has another box-shadow.
    const clone = el.cloneNode(false) as HTMLElement;
    clone.removeAttribute("id");
    el.parentNode?.insertBefore(clone, el);
    const unfocusedShadow = getComputedStyle(clone).boxShadow;
    clone.remove();
    const ring = style.boxShadow !== "none" && style.boxShadow !== unfocusedShadow;
    const header = document.querySelector("header");
    let obscured = false;
    if (header && !header.contains(el) && getComputedStyle(header).position === "sticky") {
      const h = header.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      obscured = r.top >= h.top && r.bottom <= h.bottom && hit !== null && header.contains(hit);
    }
    return {
      label: `${tag} "${name}"`,
      tag,
      name,
      indicator: outline || ring,
      inDialog: el.closest("dialog[open]") !== null,
      inMain: el.closest("main") !== null,
      obscured,
    };
  });
}

/**
 * Presses Tab (Shift+Tab when `backwards`) until the focused element's name matches, and fails when
 * a stop on the way shows no focus indicator, is hidden behind the sticky header, or the control is
 * not reached within `max` presses.
 */
export async function tabTo(page: Page, name: string | RegExp, { backwards = false, max = 60 } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    seen.push(now.label);
    if (now.tag !== "body" && !now.indicator) throw new Error(`no visible focus on ${now.label} (after ${seen.join(" → ")})`);
    if (now.obscured) throw new Error(`${now.label} has the focus behind the sticky header (after ${seen.join(" → ")})`);
    if (typeof name === "string" ? now.name === name : name.test(now.name)) return now;
  }
  throw new Error(`Tab never reached "${String(name)}"; the focus went ${seen.join(" → ")}`);
}
