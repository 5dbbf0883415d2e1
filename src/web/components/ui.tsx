/** Small presentational building blocks shared by the pages. */
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, Ref } from "react";
import { errorMessage } from "../lib/api.js";

type Variant = "primary" | "secondary" | "danger" | "ghost" | "light" | "onDark";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 focus-visible:outline-zinc-900",
  secondary: "bg-white text-zinc-900 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 focus-visible:outline-zinc-900",
  danger: "bg-red-600 text-white hover:bg-red-500 focus-visible:outline-red-600",
  ghost: "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-zinc-900",
  /** The white button on a dark background: its focus outline is white too, to be seen there. */
  light: "bg-white text-zinc-900 hover:bg-zinc-100 focus-visible:outline-white",
  onDark: "text-white ring-1 ring-inset ring-white/30 hover:bg-white/10 focus-visible:outline-white",
};

export function buttonClass(variant: Variant = "primary", extra = "") {
  return [
    "inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold shadow-xs transition-colors",
    "focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60",
    VARIANTS[variant],
    extra,
  ].join(" ");
}

/**
 * A button; while `pending` it shows a spinner and ignores presses but stays focusable
 * (aria-disabled, not disabled), so keyboard focus is not lost while the work runs.
 */
export function Button({
  variant = "primary",
  pending = false,
  className = "",
  children,
  disabled,
  type = "button",
  onClick,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; pending?: boolean }) {
  return (
    <button
      type={type}
      className={buttonClass(variant, className)}
      disabled={disabled}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
      onClick={(event) => {
        if (pending) event.preventDefault(); // also stops a form's submission by this button
        else onClick?.(event);
      }}
      {...props}
    >
      {pending && <Spinner className="size-4" />}
      {children}
    </button>
  );
}

export function Spinner({ className = "size-5" }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <div className={`rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8 ${className}`}>{children}</div>;
}

export function PageHeading({ title, description }: { title: string; description?: ReactNode }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl">{title}</h1>
      {description && <p className="mt-2 text-zinc-600">{description}</p>}
    </div>
  );
}

export function Alert({ children, tone = "error" }: { children: ReactNode; tone?: "error" | "info" }) {
  const styles = tone === "error" ? "bg-red-50 text-red-800 ring-red-200" : "bg-sky-50 text-sky-800 ring-sky-200";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg px-4 py-3 text-sm ring-1 ring-inset ${styles}`}>
      {children}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" className="flex items-center justify-center gap-3 py-16 text-sm text-zinc-500">
      <Spinner />
      {label}
    </div>
  );
}

/** In place of a page whose query failed: what could not be loaded and why, and a button that asks again. */
export function LoadFailed({ what, query }: { what: string; query: { error: unknown; isFetching: boolean; refetch: () => unknown } }) {
  return (
    <div className="space-y-4">
      <Alert>
        We couldn’t load {what}: {errorMessage(query.error)}
      </Alert>
      <Button variant="secondary" onClick={() => query.refetch()} pending={query.isFetching}>
        Try again
      </Button>
    </div>
  );
}

/**
 * After a submit with field errors: focus the first field (in `order`) that has one, so keyboard
 * and screen reader users land on it; its error is tied to it (aria-describedby) and announced.
 */
export function focusFirstError(form: HTMLFormElement, errors: Partial<Record<string, string>>, order: readonly string[]): void {
  const first = order.find((name) => errors[name]);
  const field = first ? form.elements.namedItem(first) : null;
  if (field instanceof HTMLElement) field.focus();
}

/** A labelled input; an error is announced (role=alert), tied to the input (aria-describedby) and marks it aria-invalid. */
export function TextField({
  id,
  label,
  error,
  hint,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; error?: string; hint?: string; ref?: Ref<HTMLInputElement> }) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={[
          "mt-1.5 block w-full rounded-lg bg-white px-3 py-2 text-zinc-900 shadow-xs ring-1 ring-inset placeholder:text-zinc-400",
          "focus:outline-none focus:ring-2 focus:ring-inset sm:text-sm",
          error ? "ring-red-400 focus:ring-red-500" : "ring-zinc-300 focus:ring-zinc-900",
        ].join(" ")}
        {...props}
      />
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-zinc-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1.5 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
