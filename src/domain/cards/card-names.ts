/**
 * Card names for statistics: one lookup, `cardName(id)`, backed by data/swu-cards.json (keyed by
 * the simulator's internal card id, e.g. "9226435975"). The file is read once, on first use.
 * Ids missing from the catalogue fall back to the id itself, so a new set never breaks a page.
 * A leader or base the partner did not send is stored as UNKNOWN_CARD_ID and named "Unknown
 * leader" / "Unknown base" (or "Unknown card").
 */
import { readFileSync } from "node:fs";
import { UNKNOWN_CARD_ID } from "../games/game-result.js";

export interface CardRef {
  id: string;
  name: string;
  subtitle?: string;
}

/** What the card is, for naming one that is unknown. */
export type CardKind = "leader" | "base" | "card";

interface CardEntry {
  name: string;
  subtitle: string | null;
}

const CARDS_FILE = new URL("../../../data/swu-cards.json", import.meta.url);

const UNKNOWN_NAMES: Record<CardKind, string> = { leader: "Unknown leader", base: "Unknown base", card: "Unknown card" };

let catalogue: Map<string, CardEntry> | null = null;

function load(): Map<string, CardEntry> {
  const raw = JSON.parse(readFileSync(CARDS_FILE, "utf8")) as Record<string, CardEntry>;
  return new Map(Object.entries(raw));
}

export function cardName(id: string, kind: CardKind = "card"): CardRef {
  if (id === UNKNOWN_CARD_ID) return { id, name: UNKNOWN_NAMES[kind] };
  catalogue ??= load();
  const card = catalogue.get(id);
  if (!card) return { id, name: id };
  return card.subtitle ? { id, name: card.name, subtitle: card.subtitle } : { id, name: card.name };
}
