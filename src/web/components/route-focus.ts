/**
 * Focus after a client-side navigation (WCAG 2.4.3): when the path changes, focus moves to the new
 * page's main heading (or the main landmark while the page has none yet), so keyboard and screen
 * reader users start at the top of what changed instead of on a link that is gone. It stays put when
 * the new page focused something itself (an autofocused field), when the navigation only changed the
 * query (filters, paging), and when the element that navigated asks to keep it (`data-keep-focus`,
 * e.g. tabs that stay on screen).
 */
import { useRouter, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, type RefObject } from "react";

/** Focuses the main heading inside `main` (made focusable by script only), else `main` itself. */
export function focusMainHeading(main: HTMLElement | null): void {
  if (!main) return;
  const target = main.querySelector<HTMLElement>("h1") ?? main;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
}

export function useFocusOnRouteChange(main: RefObject<HTMLElement | null>): void {
  const router = useRouter();
  const pathname = useRouterState({ select: (s) => s.resolvedLocation?.pathname });
  const focusedBefore = useRef<Element | null>(null);
  const previous = useRef(pathname);

  useEffect(
    () =>
      router.subscribe("onBeforeNavigate", () => {
        focusedBefore.current = document.activeElement;
      }),
    [router],
  );

  useEffect(() => {
    const from = previous.current;
    previous.current = pathname;
    if (from === undefined || pathname === undefined || from === pathname) return;
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected;
    if (!lost && active !== focusedBefore.current) return; // the new page chose its focus
    if (!lost && active.closest("[data-keep-focus]")) return;
    focusMainHeading(main.current);
  }, [pathname, main]);
}
