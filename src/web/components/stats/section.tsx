/** A titled card around one table or chart of the stats pages. */
import type { ReactNode } from "react";

export function Section({ title, description, actions, children, id }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-heading`;
  return (
    <section aria-labelledby={headingId} className="min-w-0 overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
      <div className="flex flex-wrap items-end justify-between gap-2 border-b border-zinc-100 px-5 py-4">
        <div>
          <h2 id={headingId} className="font-semibold text-zinc-900">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-sm text-zinc-500">{description}</p>}
        </div>
        {actions}
      </div>
      <div>{children}</div>
    </section>
  );
}
