/** A card by name (subtitle smaller underneath), its simulator id as the tooltip. */
import type { CardRef } from "../../lib/stats.js";

export function CardName({ card, className = "" }: { card: CardRef | null | undefined; className?: string }) {
  if (!card) return <span className="text-zinc-500">—</span>;
  return (
    <span title={card.id} className={`block min-w-0 ${className}`}>
      <span className="block truncate font-medium text-zinc-900">{card.name}</span>
      {card.subtitle && <span className="block truncate text-xs text-zinc-500">{card.subtitle}</span>}
    </span>
  );
}

/** Leader over base, for one side of a game. */
export function LeaderAndBase({ leader, base }: { leader: CardRef; base: CardRef }) {
  return (
    <span className="block min-w-0">
      <CardName card={leader} />
      <span title={base.id} className="mt-0.5 block truncate text-xs text-zinc-600">
        <span aria-hidden="true" className="mr-1 inline-block size-1.5 rounded-full bg-zinc-400 align-middle" />
        {base.name}
      </span>
    </span>
  );
}
