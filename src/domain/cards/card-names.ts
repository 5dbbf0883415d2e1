/**
 * Card names for statistics: one lookup, `cardName(id)`, backed by data/swu-cards.json (keyed by
 * the simulator's internal card id, e.g. "9226435975"). The file is read once, on first use.
 * Unknown ids fall back to the id itself, so a new set never breaks a page.
 */
import { readFileSync } from "node:fs";

export interface CardRef {
  id: string;
  name: string;
  subtitle?: string;
}

interface CardEntry {
  name: string;
  subtitle: string | null;
}

const CARDS_FILE = new URL("../../../data/swu-cards.json", import.meta.url);

let catalogue: Map<string, CardEntry> | null = null;

function load(): Map<string, CardEntry> {
  const raw = JSON.parse(readFileSync(CARDS_FILE, "utf8")) as Record<string, CardEntry>;
  return new Map(Object.entries(raw));
}

export function cardName(id: string): CardRef {
  catalogue ??= load();
  const card = catalogue.get(id);
  if (!card) return { id, name: id };
  return card.subtitle ? { id, name: card.name, subtitle: card.subtitle } : { id, name: card.name };
}
