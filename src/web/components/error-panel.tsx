import { Link, type ErrorComponentProps } from "@tanstack/react-router";
import { errorMessage } from "../lib/api.js";
import { buttonClass, Card } from "./ui.js";

/** Shown in place of a page whose loading or rendering failed. */
export function ErrorPanel({ error, reset }: ErrorComponentProps) {
  return (
    <div className="mx-auto max-w-md py-12">
      <Card className="text-center">
        <h1 className="text-xl font-bold">Something went wrong</h1>
        <p className="mt-3 text-zinc-600">{errorMessage(error)}</p>
        <div className="mt-6 flex justify-center gap-3">
          <button type="button" className={buttonClass("secondary")} onClick={reset}>
            Try again
          </button>
          <Link to="/" className={buttonClass("primary")}>
            Go home
          </Link>
        </div>
      </Card>
    </div>
  );
}
