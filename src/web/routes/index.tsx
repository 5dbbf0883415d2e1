import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { buttonClass } from "../components/ui.js";
import { sessionQuery } from "../lib/session.js";

export const Route = createFileRoute("/")({
  component: HomePage,
});

const STEPS = [
  {
    title: "Create your Swubase account",
    body: "Sign up here with your email address, or sign in if you already have an account.",
  },
  {
    title: "Start linking from Karabast",
    body: "In Karabast, choose to link your Swubase account. Karabast sends you here to approve the request.",
  },
  {
    title: "Approve once, play as usual",
    body: "Review what Karabast may access and approve. From then on, every game you finish on Karabast is recorded in Swubase.",
  },
];

function HomePage() {
  const session = useQuery(sessionQuery);
  const signedIn = Boolean(session.data?.user);

  return (
    <div className="space-y-16">
      <section className="relative overflow-hidden rounded-3xl bg-zinc-900 px-6 py-14 text-white shadow-lg sm:px-12 sm:py-20">
        <div aria-hidden="true" className="pointer-events-none absolute -top-24 -right-24 size-72 rounded-full bg-amber-400/20 blur-3xl" />
        <div aria-hidden="true" className="pointer-events-none absolute -bottom-32 -left-16 size-72 rounded-full bg-sky-400/10 blur-3xl" />
        <p className="relative text-sm font-semibold tracking-wide text-amber-400 uppercase">Star Wars: Unlimited companion</p>
        <h1 className="relative mt-3 max-w-2xl text-3xl font-bold tracking-tight text-balance sm:text-5xl">
          Your Karabast games, in your Swubase stats.
        </h1>
        <p className="relative mt-5 max-w-2xl text-lg text-zinc-300">
          Swubase Link connects your Karabast account to Swubase so every game you play on Karabast shows up in your Swubase
          statistics.
        </p>
        <div className="relative mt-8 flex flex-wrap gap-3">
          {signedIn ? (
            <>
              <Link to="/stats" className={buttonClass("light")}>
                Your stats
              </Link>
              <Link to="/settings/integrations" className={buttonClass("onDark")}>
                Manage integrations
              </Link>
            </>
          ) : (
            <>
              <Link to="/sign-up" className={buttonClass("light")}>
                Create an account
              </Link>
              <Link to="/sign-in" className={buttonClass("onDark")}>
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="how-it-works">
        <h2 id="how-it-works" className="text-xl font-bold tracking-tight sm:text-2xl">
          How it works
        </h2>
        <ol className="mt-6 grid gap-4 sm:grid-cols-3">
          {STEPS.map((step, index) => (
            <li key={step.title} className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
              <span className="grid size-9 place-items-center rounded-full bg-amber-100 text-sm font-bold text-amber-800">
                {index + 1}
              </span>
              <h3 className="mt-4 font-semibold text-zinc-900">{step.title}</h3>
              <p className="mt-2 text-sm text-zinc-600">{step.body}</p>
            </li>
          ))}
        </ol>
        <p className="mt-6 text-sm text-zinc-500">
          You stay in control: you can see and remove every linked service under{" "}
          <Link to="/settings/integrations" className="font-medium text-zinc-900 underline underline-offset-2">
            Integrations
          </Link>
          .
        </p>
      </section>
    </div>
  );
}
