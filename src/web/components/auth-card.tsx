/** The frame around the sign-in and sign-up forms. */
import type { ReactNode } from "react";
import { Card } from "./ui.js";

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle: ReactNode; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <Card>
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <p className="mt-2 text-sm text-zinc-600">{subtitle}</p>
        <div className="mt-6">{children}</div>
      </Card>
      <p className="mt-6 text-center text-sm text-zinc-600">{footer}</p>
    </div>
  );
}
