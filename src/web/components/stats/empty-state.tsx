/** Shown on /stats while the user has no recorded game at all. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { linksQuery } from "../../lib/links.js";
import { buttonClass } from "../ui.js";

export function StatsEmptyState() {
  const links = useQuery(linksQuery);
  const active = links.data?.find((l) => l.status === "active");
  return (
    <div className="mx-auto max-w-2xl rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-zinc-200 sm:p-10">
      <div aria-hidden="true" className="mx-auto grid size-14 place-items-center rounded-2xl bg-amber-100 text-amber-700">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" className="size-8">
          <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
        </svg>
      </div>
      <h2 className="mt-5 text-xl font-bold tracking-tight text-zinc-900">No games recorded yet</h2>
      {active ? (
        <p className="mt-3 text-zinc-600">
          Your {active.clientName} account <span className="font-mono text-sm text-zinc-900">{active.externalUserId}</span> is linked.
          Finish a game there and it will show up here within moments.
        </p>
      ) : (
        <p className="mt-3 text-zinc-600">
          <strong className="font-semibold text-zinc-900">Link your Karabast account</strong> and every game you finish on Karabast is
          recorded here: your win rate, leaders, bases, decks, matchups and card statistics.
        </p>
      )}
      {!active && (
        <ol className="mx-auto mt-6 max-w-md space-y-2 text-left text-sm text-zinc-600">
          <li className="flex gap-3">
            <span className="grid size-6 shrink-0 place-items-center rounded-full bg-zinc-900 text-xs font-bold text-white">1</span>
            <span>
              In Karabast, choose <span className="font-medium text-zinc-900">Connect Swubase</span>.
            </span>
          </li>
          <li className="flex gap-3">
            <span className="grid size-6 shrink-0 place-items-center rounded-full bg-zinc-900 text-xs font-bold text-white">2</span>
            <span>Approve the link request on Swubase.</span>
          </li>
          <li className="flex gap-3">
            <span className="grid size-6 shrink-0 place-items-center rounded-full bg-zinc-900 text-xs font-bold text-white">3</span>
            <span>Play: finished games appear here automatically.</span>
          </li>
        </ol>
      )}
      <Link to="/settings/integrations" className={buttonClass("primary", "mt-7")}>
        Manage linked services
      </Link>
    </div>
  );
}
