import { createRootRouteWithContext, Outlet, type ErrorComponentProps } from "@tanstack/react-router";
import { useRef, type ReactNode } from "react";
import { ErrorPanel } from "../components/error-panel.js";
import { NotFound } from "../components/not-found.js";
import { useFocusOnRouteChange } from "../components/route-focus.js";
import { SiteHeader } from "../components/site-header.js";
import type { RouterContext } from "../router.js";

export const Route = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <Shell>
      <Outlet />
    </Shell>
  ),
  notFoundComponent: NotFound,
  errorComponent: (props: ErrorComponentProps) => (
    <Shell>
      <ErrorPanel {...props} />
    </Shell>
  ),
});

function Shell({ children }: { children: ReactNode }) {
  const main = useRef<HTMLElement>(null);
  useFocusOnRouteChange(main);
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-20 rounded-lg bg-white px-4 py-2 text-sm font-semibold text-zinc-900 shadow-lg ring-1 ring-zinc-300 focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to main content
      </a>
      <SiteHeader />
      <main id="main" ref={main} tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 outline-none sm:px-6 sm:py-12">
        {children}
      </main>
      <footer className="border-t border-zinc-200 py-6 text-center text-xs text-zinc-500">
        Swubase Link · a companion for Star Wars: Unlimited players
      </footer>
    </div>
  );
}
