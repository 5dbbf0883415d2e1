import { createRootRouteWithContext, Outlet, type ErrorComponentProps } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { ErrorPanel } from "../components/error-panel.js";
import { NotFound } from "../components/not-found.js";
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
  return (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-12">{children}</main>
      <footer className="border-t border-zinc-200 py-6 text-center text-xs text-zinc-500">
        Swubase Link · a companion for Star Wars: Unlimited players
      </footer>
    </div>
  );
}
