import { createFileRoute, Link } from "@tanstack/react-router";
import { PublicProfileSettings } from "../../../components/profile/public-profile-settings.js";
import { Card, PageHeading } from "../../../components/ui.js";

export const Route = createFileRoute("/_authenticated/settings/")({
  component: SettingsPage,
});

function SettingsPage() {
  const { user } = Route.useRouteContext();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeading title="Settings" description="Your Swubase account and the services connected to it." />
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <h2 className="text-sm font-semibold text-zinc-500 uppercase">Account</h2>
          <p className="mt-3 truncate font-semibold text-zinc-900">{user.name}</p>
          <p className="truncate text-sm text-zinc-600">{user.email}</p>
        </Card>
        <Link
          to="/settings/integrations"
          className="group rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 transition hover:ring-zinc-400 sm:p-8"
        >
          <h2 className="text-sm font-semibold text-zinc-500 uppercase">Integrations</h2>
          <p className="mt-3 font-semibold text-zinc-900">
            Linked services <span aria-hidden="true" className="inline-block transition group-hover:translate-x-0.5">→</span>
          </p>
          <p className="text-sm text-zinc-600">See which services, like Karabast, can record games to your account, and unlink them.</p>
        </Link>
        <PublicProfileSettings />
      </div>
    </div>
  );
}
