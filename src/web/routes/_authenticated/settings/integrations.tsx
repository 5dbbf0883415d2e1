import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog.js";
import { Alert, Button, buttonClass, Card, Loading, LoadFailed, PageHeading } from "../../../components/ui.js";
import { errorMessage } from "../../../lib/api.js";
import { describeUserAgent, eventLabel, eventsQuery, eventTone, EVENTS_QUERY_KEY, type EventTone, type LinkEvent } from "../../../lib/events.js";
import { describeUncountedReason, KARABAST_REPORTING_RULES, uncountedGamesQuery, type UncountedGame } from "../../../lib/uncounted.js";
import { formatDate, integrationLabel, LINKS_QUERY_KEY, linksQuery, unlink, type AccountLink, type LinkStatus } from "../../../lib/links.js";

export const Route = createFileRoute("/_authenticated/settings/integrations")({
  component: IntegrationsPage,
});

function IntegrationsPage() {
  const queryClient = useQueryClient();
  const links = useQuery(linksQuery);
  const [confirming, setConfirming] = useState<AccountLink | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const unlinkMutation = useMutation({
    mutationFn: (link: AccountLink) => unlink(link.id),
    onSuccess: async (_, link) => {
      setAnnouncement(`${link.clientName} unlinked.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: LINKS_QUERY_KEY }),
        queryClient.invalidateQueries({ queryKey: EVENTS_QUERY_KEY }),
      ]);
      setConfirming(null);
    },
  });

  function closeDialog() {
    setConfirming(null);
    unlinkMutation.reset();
  }

  return (
    <div className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <Link to="/settings" className="hover:text-zinc-900">
          Settings
        </Link>{" "}
        / Integrations
      </nav>
      <PageHeading
        title="Integrations"
        description="Services linked to your Swubase account. A linked service can record the games you play there into your Swubase statistics."
      />

      {links.isPending ? (
        <Loading label="Loading your integrations…" />
      ) : links.isError ? (
        <LoadFailed what="your integrations" query={links} />
      ) : links.data.length === 0 ? (
        <Card className="text-center">
          <h2 className="font-semibold text-zinc-900">No linked services yet</h2>
          <p className="mt-2 text-sm text-zinc-600">
            To link Karabast, open Karabast, choose to link your Swubase account, and approve the request here.
          </p>
          <Link to="/" className={buttonClass("secondary", "mt-5")}>
            How linking works
          </Link>
        </Card>
      ) : (
        <ul className="space-y-4">
          {links.data.map((link) => (
            <li key={link.id}>
              <LinkCard link={link} onUnlink={() => setConfirming(link)} />
            </li>
          ))}
        </ul>
      )}

      <p role="status" className="sr-only">
        {announcement}
      </p>

      <NotCountedGames />

      <RecentActivity />

      <ConfirmDialog
        open={confirming !== null}
        title={`Unlink ${confirming?.clientName ?? ""}?`}
        confirmLabel="Confirm unlink"
        cancelLabel="Keep link"
        pending={unlinkMutation.isPending}
        error={unlinkMutation.isError ? errorMessage(unlinkMutation.error) : null}
        onCancel={closeDialog}
        onConfirm={() => confirming && unlinkMutation.mutate(confirming)}
      >
        {confirming?.clientName} will immediately lose access to your Swubase account, and games you play there will no longer be
        recorded. You can link again at any time.
      </ConfirmDialog>
    </div>
  );
}

const STATUS_STYLES: Record<LinkStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-50 text-emerald-700 ring-emerald-600/20" },
  pending: { label: "Pending", className: "bg-amber-50 text-amber-800 ring-amber-600/20" },
  revoked: { label: "Revoked", className: "bg-zinc-100 text-zinc-600 ring-zinc-500/20" },
};

function LinkCard({ link, onUnlink }: { link: AccountLink; onUnlink: () => void }) {
  const status = STATUS_STYLES[link.status] ?? STATUS_STYLES.revoked;
  const linkedAt = formatDate(link.linkedAt ?? link.createdAt);
  const linkedLabel = link.linkedAt ? "Linked" : "Requested";
  const lastUsedAt = formatDate(link.lastUsedAt);
  return (
    <article aria-label={link.clientName} className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 sm:p-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-lg font-semibold text-zinc-900">{link.clientName}</h2>
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${status.className}`}>{status.label}</span>
          </div>
          <p className="mt-1 truncate text-sm text-zinc-600">
            {integrationLabel(link.integration)} user id: <span className="font-mono text-zinc-900">{link.externalUserId}</span>
          </p>
        </div>
        {link.status === "active" && (
          <Button variant="secondary" onClick={onUnlink} className="shrink-0 text-red-700">
            Unlink
          </Button>
        )}
      </div>
      {link.scopes.length > 0 && (
        <ul aria-label="Permissions" className="mt-4 flex flex-wrap gap-2">
          {link.scopes.map((scope) => (
            <li key={scope} className="rounded-md bg-zinc-100 px-2 py-1 font-mono text-xs text-zinc-700">
              {scope}
            </li>
          ))}
        </ul>
      )}
      <dl className="mt-4 grid gap-x-6 gap-y-1 text-sm text-zinc-500 sm:grid-cols-2">
        {linkedAt && (
          <div>
            <dt className="inline">{linkedLabel}: </dt>
            <dd className="inline text-zinc-700">{linkedAt}</dd>
          </div>
        )}
        <div>
          <dt className="inline">Last used: </dt>
          <dd className="inline text-zinc-700">{lastUsedAt ?? "Never"}</dd>
        </div>
      </dl>
    </article>
  );
}

const RESULT_WORDS: Record<UncountedGame["result"], string> = { win: "Win", loss: "Loss", draw: "Draw" };

/** "Why wasn't my game counted?": games reported for the user's Karabast id that were not attributed. */
function NotCountedGames() {
  const games = useQuery(uncountedGamesQuery);
  return (
    <section aria-labelledby="not-counted" className="mt-10">
      <h2 id="not-counted" className="text-lg font-semibold text-zinc-900">
        Games not counted
      </h2>
      <p className="text-sm text-zinc-500">Games reported for your linked account that did not reach your statistics, and why.</p>
      <p className="mt-2 text-sm text-zinc-600">{KARABAST_REPORTING_RULES}</p>
      <div className="mt-3">
        {games.isPending ? (
          <Loading label="Loading games not counted…" />
        ) : games.isError ? (
          <Alert>We couldn’t load the games not counted: {errorMessage(games.error)}</Alert>
        ) : games.data.length === 0 ? (
          <p className="rounded-2xl bg-white px-5 py-6 text-center text-sm text-zinc-500 ring-1 ring-zinc-200">
            Every game reported for your linked account was counted.
          </p>
        ) : (
          <ol aria-label="Games not counted" className="divide-y divide-zinc-100 rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
            {games.data.map((game) => (
              <NotCountedRow key={game.gameId} game={game} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function NotCountedRow({ game }: { game: UncountedGame }) {
  const reason = describeUncountedReason(game.reason);
  return (
    <li className="px-5 py-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <p className="text-sm font-medium text-zinc-900">
          {reason.title}
          <span className="font-normal text-zinc-500">
            {" "}
            · {game.partner} · {RESULT_WORDS[game.result]} with {game.myLeader.name} against {game.opponentLeader.name}
          </span>
        </p>
        <time dateTime={game.finishedAt} className="text-xs whitespace-nowrap text-zinc-500">
          {formatDate(game.finishedAt) ?? game.finishedAt}
        </time>
      </div>
      <p className="mt-0.5 text-sm text-zinc-600">{reason.explanation}</p>
      <p className="mt-0.5 truncate text-xs text-zinc-500">
        <span className="font-mono">{game.externalUserId}</span> · {game.format} · game <span className="font-mono">{game.gameId}</span>
      </p>
    </li>
  );
}

const TONE_DOT: Record<EventTone, string> = {
  neutral: "bg-zinc-300",
  good: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-600",
};

/** The last 50 link events of this account, newest first. */
function RecentActivity() {
  const events = useQuery(eventsQuery);
  return (
    <section aria-labelledby="recent-activity" className="mt-10">
      <div className="mb-3 flex items-end justify-between gap-3">
        <div>
          <h2 id="recent-activity" className="text-lg font-semibold text-zinc-900">
            Recent activity
          </h2>
          <p className="text-sm text-zinc-500">The last 50 events of your links: approvals, token refreshes, unlinks and failures.</p>
        </div>
        <Button variant="ghost" onClick={() => events.refetch()} pending={events.isFetching && !events.isPending} className="shrink-0">
          Refresh
        </Button>
      </div>
      {events.isPending ? (
        <Loading label="Loading recent activity…" />
      ) : events.isError ? (
        <Alert>We couldn’t load your recent activity: {errorMessage(events.error)}</Alert>
      ) : events.data.length === 0 ? (
        <p className="rounded-2xl bg-white px-5 py-6 text-center text-sm text-zinc-500 ring-1 ring-zinc-200">No activity yet.</p>
      ) : (
        <ol aria-label="Recent activity" className="divide-y divide-zinc-100 rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
          {events.data.map((event, index) => (
            <EventRow key={`${event.at}-${event.event}-${index}`} event={event} />
          ))}
        </ol>
      )}
    </section>
  );
}

function EventRow({ event }: { event: LinkEvent }) {
  const partner = event.clientName ?? event.clientId;
  const device = describeUserAgent(event.userAgent);
  const where = [event.ip, device].filter(Boolean).join(" · ");
  return (
    <li className="flex gap-3 px-5 py-3">
      <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${TONE_DOT[eventTone(event.event)]}`} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3">
          <p className="text-sm font-medium text-zinc-900">
            {eventLabel(event.event)}
            {partner && <span className="font-normal text-zinc-500"> · {partner}</span>}
          </p>
          <time dateTime={event.at} className="text-xs whitespace-nowrap text-zinc-500">
            {formatDate(event.at) ?? event.at}
          </time>
        </div>
        {event.detail && <p className="mt-0.5 text-sm break-words text-zinc-600">{event.detail}</p>}
        {(event.externalUserId || where) && (
          <p className="mt-0.5 truncate text-xs text-zinc-500" title={event.userAgent ?? undefined}>
            {event.externalUserId && <span className="font-mono">{event.externalUserId}</span>}
            {event.externalUserId && where ? " · " : ""}
            {where}
          </p>
        )}
      </div>
    </li>
  );
}
