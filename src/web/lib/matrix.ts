/**
 * The matchup matrix from the API's cells: one row per leader (or deck) of the user, one column
 * per opponent leader (or base), each ordered by its games (most first; ties keep the API's order).
 * A row or column exists only where some cell does (minGames may have left cells out).
 */
import type { CardRef, MatchupHead, MatchupRows, Rate } from "./stats.js";

interface MatrixRow {
  key: string;
  head: MatchupHead;
  games: number;
}
interface MatrixColumn {
  key: string;
  card: CardRef;
  games: number;
}
export interface Matrix<T> {
  rows: MatrixRow[];
  columns: MatrixColumn[];
  cell(row: string, column: string): T | undefined;
}

/** A row's identity: the leader id, or the deck by id and name (decks without an id are told apart by name). */
export function rowKey(head: MatchupHead, by: MatchupRows): string {
  return by === "deck" ? JSON.stringify([head.myDeck?.id ?? null, head.myDeck?.name ?? null]) : head.myLeader.id;
}

export function buildMatrix<T extends MatchupHead & Rate>(cells: readonly T[], opponent: (cell: T) => CardRef, by: MatchupRows): Matrix<T> {
  const rows = new Map<string, MatrixRow>();
  const columns = new Map<string, MatrixColumn>();
  const byKey = new Map<string, T>();
  for (const cell of cells) {
    const r = rowKey(cell, by);
    const card = opponent(cell);
    const row = rows.get(r) ?? rows.set(r, { key: r, head: cell, games: 0 }).get(r)!;
    const column = columns.get(card.id) ?? columns.set(card.id, { key: card.id, card, games: 0 }).get(card.id)!;
    row.games += cell.games;
    column.games += cell.games;
    byKey.set(`${r}\n${card.id}`, cell);
  }
  const order = <X extends { games: number }>(xs: Iterable<X>) => [...xs].map((x, i) => ({ x, i })).sort((a, b) => b.x.games - a.x.games || a.i - b.i).map(({ x }) => x);
  return {
    rows: order(rows.values()).map((r) => ({ ...r, head: { myLeader: r.head.myLeader, ...(r.head.myDeck ? { myDeck: r.head.myDeck } : {}) } })),
    columns: order(columns.values()),
    cell: (row, column) => byKey.get(`${row}\n${column}`),
  };
}
