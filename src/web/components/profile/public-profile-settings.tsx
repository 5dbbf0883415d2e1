/**
 * Settings: the public handle, whether the statistics are public at /u/{handle}, and whether the
 * user's games count in the meta. Saved together (PATCH /api/me/profile); the server's message
 * is shown next to the field it names.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/api.js";
import { handleHint, PROFILE_QUERY_KEY, profileQuery, saveProfile, type ProfileChange, type ProfileSettings } from "../../lib/profile.js";
import { Alert, Button, Card, TextField } from "../ui.js";

function Toggle({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className="flex gap-3">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-zinc-900"
      />
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      </div>
    </div>
  );
}

export function PublicProfileSettings() {
  const queryClient = useQueryClient();
  const profile = useQuery(profileQuery);
  const [handle, setHandle] = useState("");
  const [publicStats, setPublicStats] = useState(false);
  const [inMeta, setInMeta] = useState(true);
  const [localError, setLocalError] = useState<string | null>(null);

  useEffect(() => {
    if (!profile.data) return;
    setHandle(profile.data.handle ?? "");
    setPublicStats(profile.data.publicStats);
    setInMeta(!profile.data.metaOptOut);
  }, [profile.data]);

  const save = useMutation({
    mutationFn: (change: ProfileChange) => saveProfile(change),
    onSuccess: (saved: ProfileSettings) => queryClient.setQueryData(PROFILE_QUERY_KEY, saved),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = handle.trim();
    const hint = trimmed ? handleHint(trimmed) : publicStats ? "Choose a handle to make your statistics public." : null;
    setLocalError(hint);
    if (hint) return;
    // An emptied field clears the saved handle (the server then frees it).
    const clear = trimmed === "" && profile.data?.handle != null;
    save.mutate({ ...(trimmed ? { handle: trimmed } : clear ? { handle: null } : {}), publicStats, metaOptOut: !inMeta });
  }

  const serverError = save.error ? errorMessage(save.error) : null;
  // The server names the field first: "handle must …", "handle is already taken …".
  const handleError = localError ?? (serverError && /^handle\b/.test(serverError) ? serverError : undefined);
  const otherError = serverError && !handleError ? serverError : null;
  const saved = profile.data;

  return (
    <Card className="sm:col-span-2">
      <h2 className="text-sm font-semibold text-zinc-500 uppercase">Public profile</h2>
      {profile.isPending ? (
        <p className="mt-3 text-sm text-zinc-500">Loading…</p>
      ) : profile.isError ? (
        <div className="mt-3">
          <Alert>We couldn’t load your profile settings: {errorMessage(profile.error)}</Alert>
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="mt-4 space-y-5" aria-label="Public profile">
          <TextField
            id="profile-handle"
            label="Handle"
            value={handle}
            onChange={(e) => {
              setHandle(e.target.value);
              setLocalError(null);
              save.reset();
            }}
            autoComplete="off"
            spellCheck={false}
            maxLength={60}
            placeholder="e.g. Rey_Skywalker"
            hint="3–30 letters, digits, _ or -; your page is /u/your-handle. Unique: nobody else can take it, in any case."
            error={handleError ?? undefined}
          />
          <Toggle
            id="profile-public"
            label="Make my statistics public"
            hint="Anyone can then see your totals, leaders, bases and recent games at /u/your-handle — never your email or Karabast account. Turn it off and the page disappears at once."
            checked={publicStats}
            onChange={(v) => {
              setPublicStats(v);
              setLocalError(null);
              save.reset();
            }}
          />
          <Toggle
            id="profile-meta"
            label="Include my games in the meta"
            hint="Your games count, anonymously, in the leader and base figures on the Meta page. A change applies within a minute."
            checked={inMeta}
            onChange={(v) => {
              setInMeta(v);
              save.reset();
            }}
          />
          {otherError && <Alert>{otherError}</Alert>}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" pending={save.isPending}>
              Save
            </Button>
            {save.isSuccess && (
              <p role="status" className="text-sm text-emerald-700">
                Saved.
              </p>
            )}
            {saved?.publicStats && saved.handle && (
              <Link to="/u/$handle" params={{ handle: saved.handle }} className="text-sm font-medium text-zinc-900 underline underline-offset-2">
                View your public page
              </Link>
            )}
          </div>
        </form>
      )}
    </Card>
  );
}
