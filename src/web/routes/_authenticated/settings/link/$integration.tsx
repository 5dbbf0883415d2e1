import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, Button, buttonClass, Card, Loading, TextField } from "../../../../components/ui.js";
import { ApiError, errorMessage } from "../../../../lib/api.js";
import { authClient } from "../../../../lib/auth-client.js";
import { approve, authorize, deny, errorRedirect, httpUrlOrNull, type AuthorizeResponse } from "../../../../lib/link-request.js";
import { integrationLabel } from "../../../../lib/links.js";
import { refreshSession, signOut } from "../../../../lib/session.js";

/**
 * The approval page a partner (e.g. Karabast) sends the user to. The request is checked by the
 * server before anything is shown; an invalid request either goes back to the partner (when
 * the server says where) or ends here with an explanation, never an open redirect. A session
 * older than 24 h must confirm the password before approving (the server answers 403
 * `reauthentication_required`): the card asks for it, signs in again and approves.
 */
export const Route = createFileRoute("/_authenticated/settings/link/$integration")({
  component: LinkApprovalPage,
});

function LinkApprovalPage() {
  const { integration } = Route.useParams();
  // The query string exactly as the partner wrote it, captured once for this page view.
  const [rawSearch] = useState(() => window.location.search);
  const request = useQuery({
    queryKey: ["integration-authorize", integration, rawSearch],
    queryFn: () => authorize(rawSearch, integration),
    retry: false,
    staleTime: Infinity,
    gcTime: 0,
  });
  const backToPartner = request.isError ? errorRedirect(request.error) : null;

  useEffect(() => {
    if (backToPartner) window.location.assign(backToPartner);
  }, [backToPartner]);

  if (request.isPending) return <Loading label="Checking the link request…" />;
  if (backToPartner) return <Loading label="Returning you to the app that sent you here…" />;
  if (request.isError) return <InvalidRequest description={errorMessage(request.error)} />;
  return <ApprovalCard request={request.data} />;
}

function InvalidRequest({ description }: { description: string }) {
  return (
    <div className="mx-auto max-w-lg">
      <Card className="text-center">
        <div aria-hidden="true" className="mx-auto grid size-12 place-items-center rounded-full bg-red-50 text-xl font-bold text-red-600">
          !
        </div>
        <h1 className="mt-4 text-xl font-bold tracking-tight">This link request can't be used</h1>
        <p className="mt-3 text-zinc-600">{description}</p>
        <p className="mt-2 text-sm text-zinc-500">Go back to the app that sent you here and start linking again.</p>
        <Link to="/" className={buttonClass("primary", "mt-6")}>
          Go to the home page
        </Link>
      </Card>
    </div>
  );
}

function continueUrl(redirectTo: unknown): string {
  const target = httpUrlOrNull(redirectTo);
  if (!target) throw new Error("The server did not say where to continue. Please start again from the app that sent you here.");
  return target;
}

function ApprovalCard({ request }: { request: AuthorizeResponse }) {
  const { user } = Route.useRouteContext();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  const partner = integrationLabel(request.integration);

  function leaveFor(target: string) {
    setLeaving(true);
    window.location.assign(target);
  }

  const approveMutation = useMutation({
    mutationFn: async () => continueUrl((await approve(request)).redirectTo),
    onSuccess: leaveFor,
  });
  const denyMutation = useMutation({
    mutationFn: async () => continueUrl((await deny(request)).redirectTo),
    onSuccess: leaveFor,
  });
  const switchAccount = useMutation({
    mutationFn: async () => {
      const here = window.location.pathname + window.location.search;
      await signOut(queryClient);
      await navigate({ to: "/sign-in", search: { redirect: here } });
    },
  });

  const confirmAndApprove = useMutation({
    mutationFn: async (password: string) => {
      const { error } = await authClient.signIn.email({ email: user.email, password });
      if (error) throw new Error(error.message || "Could not confirm your password. Please try again.");
      await refreshSession(queryClient);
      return continueUrl((await approve(request)).redirectTo);
    },
    onSuccess: leaveFor,
  });

  const needsPassword = approveMutation.error instanceof ApiError && approveMutation.error.error === "reauthentication_required";
  const busy = leaving || approveMutation.isPending || denyMutation.isPending || switchAccount.isPending || confirmAndApprove.isPending;
  const failure = (needsPassword ? null : approveMutation.error) ?? denyMutation.error ?? switchAccount.error;

  return (
    <div className="mx-auto max-w-lg">
      <Card>
        <p className="text-sm font-semibold text-amber-700">Link request</p>
        <h1 className="mt-1 text-2xl font-bold tracking-tight text-balance">
          {request.client.name} wants to link to your Swubase account
        </h1>

        {request.externalUserId !== null && (
          <dl className="mt-6 rounded-lg bg-zinc-50 px-4 py-3 ring-1 ring-zinc-200 ring-inset">
            <dt className="text-xs font-medium text-zinc-500">{partner} user id</dt>
            <dd className="mt-0.5 font-mono text-sm break-all text-zinc-900">{request.externalUserId}</dd>
          </dl>
        )}

        <h2 className="mt-6 text-sm font-semibold text-zinc-900">{request.client.name} will be able to:</h2>
        <ul className="mt-3 space-y-3">
          {request.scopes.map((scope) => (
            <li key={scope.name} className="flex gap-3">
              <span aria-hidden="true" className="mt-1 grid size-5 shrink-0 place-items-center rounded-full bg-emerald-100 text-xs text-emerald-700">
                ✓
              </span>
              <span>
                <span className="block text-sm text-zinc-900">{scope.description}</span>
                <span className="block font-mono text-xs text-zinc-500">{scope.name}</span>
              </span>
            </li>
          ))}
        </ul>

        <div className="mt-6 flex flex-wrap items-center justify-between gap-2 border-t border-zinc-200 pt-4 text-sm text-zinc-600">
          <p className="min-w-0 break-words">
            Signed in as <span className="font-medium text-zinc-900">{user.name}</span> ({user.email})
          </p>
          <button
            type="button"
            onClick={() => switchAccount.mutate()}
            disabled={busy}
            className="font-medium text-zinc-900 underline underline-offset-2 hover:text-zinc-600 disabled:opacity-60"
          >
            Not you? Switch account
          </button>
        </div>

        {failure && (
          <div className="mt-4">
            <Alert>{errorMessage(failure)}</Alert>
          </div>
        )}

        {needsPassword ? (
          <ConfirmPassword
            onSubmit={(password) => confirmAndApprove.mutate(password)}
            onCancel={() => denyMutation.mutate()}
            busy={busy}
            pending={confirmAndApprove.isPending}
            error={confirmAndApprove.error ? errorMessage(confirmAndApprove.error) : undefined}
          />
        ) : (
          <div className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => denyMutation.mutate()} disabled={busy} pending={denyMutation.isPending}>
              Cancel
            </Button>
            <Button onClick={() => approveMutation.mutate()} disabled={busy} pending={approveMutation.isPending}>
              Approve Link
            </Button>
          </div>
        )}
        <p className="mt-4 text-xs text-zinc-500">
          You can unlink at any time under{" "}
          <Link to="/settings/integrations" className="underline underline-offset-2">
            Integrations
          </Link>
          .
        </p>
      </Card>
    </div>
  );
}

/** Shown when the session is too old to approve: the password again, then the approval. */
function ConfirmPassword(props: { onSubmit(password: string): void; onCancel(): void; busy: boolean; pending: boolean; error?: string | undefined }) {
  const [empty, setEmpty] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  // A refused password: back to the field (its error is announced and tied to it).
  useEffect(() => {
    if (props.error) field.current?.focus();
  }, [props.error]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("confirm-password") ?? "");
    setEmpty(password === "");
    if (password === "") field.current?.focus();
    else props.onSubmit(password);
  }
  return (
    <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
      <Alert tone="info">You signed in more than 24 hours ago. Confirm your password to approve this link.</Alert>
      <TextField
        ref={field}
        id="confirm-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        error={empty ? "Enter your password." : props.error}
      />
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button type="button" variant="secondary" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </Button>
        <Button type="submit" disabled={props.busy} pending={props.pending}>
          Confirm and approve
        </Button>
      </div>
    </form>
  );
}
