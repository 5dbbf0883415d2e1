/**
 * SQL for storing game results. A game, its payload, both seats and their card metrics are written
 * by ONE statement (data-modifying CTEs): the game insert is `ON CONFLICT (client_id, game_id) DO
 * NOTHING`, and everything else is inserted from its RETURNING, so a duplicate (even one arriving
 * concurrently, which waits on the unique index) writes nothing at all.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import type { SeatAttribution } from "../db/schema.js";
import type { CardMetrics } from "../domain/games/game-result.js";
import { rowsOf } from "./rows.js";

export interface NewSeat {
  seat: 0 | 1;
  externalUserId: string;
  userId: string | null;
  linkId: string | null;
  attribution: SeatAttribution;
  leader: string;
  base: string;
  deckId: string | null;
  deckName: string | null;
  deckSource: string | null;
  isWinner: boolean;
  cardMetrics: Record<string, CardMetrics>;
}

export interface NewGame {
  clientId: string;
  gameId: string;
  lobbyId: string | null;
  format: string;
  startedAt: Date;
  finishedAt: Date;
  roundNumber: number | null;
  sequenceNumber: number;
  receivedAt: Date;
  /** The payload to keep for audit, already without tokens. */
  payload: Record<string, unknown>;
  seats: [NewSeat, NewSeat];
}

export function gameRepository(db: Db) {
  return {
    /** Stores a game with its seats and card metrics. Returns false if this client already sent this game. */
    async insertGame(game: NewGame): Promise<boolean> {
      // Raw SQL parameters are not mapped by column type: timestamps go as ISO text, arrays as jsonb.
      const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
      const [a, b] = game.seats;
      const seats = game.seats.map((s) => {
        const other = s === a ? b : a;
        const cards = Object.entries(s.cardMetrics);
        return {
          seat: s.seat,
          external_user_id: s.externalUserId,
          user_id: s.userId,
          link_id: s.linkId,
          attribution: s.attribution,
          leader: s.leader,
          base: s.base,
          deck_id: s.deckId,
          deck_name: s.deckName,
          deck_source: s.deckSource,
          is_winner: s.isWinner,
          opponent_leader: other.leader,
          opponent_base: other.base,
          card_ids: cards.map(([id]) => id),
          played: cards.map(([, m]) => m.played),
          resourced: cards.map(([, m]) => m.resourced),
          activated: cards.map(([, m]) => m.activated),
          drawn: cards.map(([, m]) => m.drawn),
          discarded: cards.map(([, m]) => m.discarded),
        };
      });
      const result = await db.execute(sql`
        with g as (
          insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number, received_at)
          values (${game.clientId}, ${game.gameId}, ${game.lobbyId}, ${game.format}, ${ts(game.startedAt)}, ${ts(game.finishedAt)},
                  ${game.roundNumber}::int, ${game.sequenceNumber}::smallint, ${ts(game.receivedAt)})
          on conflict (client_id, game_id) do nothing
          returning id, finished_at, format
        ), input as (
          select * from jsonb_to_recordset(${JSON.stringify(seats)}::jsonb) as s(
            seat smallint, external_user_id text, user_id text, link_id text, attribution text, leader text, base text,
            deck_id text, deck_name text, deck_source text, is_winner boolean, opponent_leader text, opponent_base text,
            card_ids text[], played int[], resourced int[], activated int[], drawn int[], discarded int[])
        ), payload as (
          insert into game_payload (game_id, payload) select g.id, ${JSON.stringify(game.payload)}::jsonb from g
        ), seats as (
          insert into game_seat (game_id, seat, external_user_id, user_id, link_id, attribution, leader, base, deck_id, deck_name,
                                 deck_source, is_winner, finished_at, format, opponent_leader, opponent_base)
          select g.id, s.seat, s.external_user_id, s.user_id, s.link_id, s.attribution, s.leader, s.base, s.deck_id, s.deck_name,
                 s.deck_source, s.is_winner, g.finished_at, g.format, s.opponent_leader, s.opponent_base
          from g cross join input s
        ), metrics as (
          insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
          select g.id, s.seat, s.card_ids, s.played, s.resourced, s.activated, s.drawn, s.discarded from g cross join input s
        )
        select id from g`);
      return rowsOf(result).length === 1;
    },
  };
}

export type GameRepository = ReturnType<typeof gameRepository>;
