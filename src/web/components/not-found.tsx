import { Link } from "@tanstack/react-router";
import { buttonClass, Card } from "./ui.js";

export function NotFound() {
  return (
    <div className="mx-auto max-w-md py-12">
      <Card className="text-center">
        <p className="text-sm font-semibold text-amber-700">404</p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">Page not found</h1>
        <p className="mt-3 text-zinc-600">The page you were looking for doesn’t exist or has moved.</p>
        <Link to="/" className={buttonClass("primary", "mt-6")}>
          Back to home
        </Link>
      </Card>
    </div>
  );
}
