/**
 * What the domain reports as it happens, for the operator's metrics. The server layer implements
 * it with Prometheus counters (src/server/metrics); the domain knows nothing of how it is counted.
 * Calls sit on hot paths: an implementation must be cheap (a counter increment) and never throw.
 */
import type { SeatAttribution } from "../db/schema.js";

/** Which single-use credential was presented again and revoked its link. */
export type ReuseKind = "refresh_token" | "link_token" | "authorization_code";

/** Why a seat counts for nobody. */
export type UnattributedReason = Exclude<SeatAttribution, "linked">;

// Records, so that a value added to either type must be added here too (the metrics start each at 0).
const REUSE_KINDS: Record<ReuseKind, true> = { refresh_token: true, link_token: true, authorization_code: true };
const UNATTRIBUTED_REASONS: Record<UnattributedReason, true> = { no_token: true, invalid_token: true, link_revoked: true, token_expired: true, token_user_mismatch: true };
export const reuseKinds = Object.keys(REUSE_KINDS) as ReuseKind[];
export const unattributedReasons = Object.keys(UNATTRIBUTED_REASONS) as UnattributedReason[];

export interface DomainObserver {
  /** A refresh token rotated into a new pair (the Karabast door and the OAuth refresh grant). */
  refreshRotated(): void;
  /** The previous refresh token, within the grace window, got the current pair back. */
  refreshGraceAnswered(): void;
  /** A spent credential was replayed: its link is revoked. */
  reuseDetected(kind: ReuseKind): void;
  /** A reported game was stored. */
  gameIngested(): void;
  /** A reported game was already stored (same client and game id): nothing stored. */
  gameDuplicate(): void;
  /** A seat of a stored game counts for nobody, and why. */
  seatUnattributed(reason: UnattributedReason): void;
}

const ignore = () => {};

/** Observes nothing: the default when metrics are off (no METRICS_TOKEN). */
export const silentObserver: DomainObserver = {
  refreshRotated: ignore,
  refreshGraceAnswered: ignore,
  reuseDetected: ignore,
  gameIngested: ignore,
  gameDuplicate: ignore,
  seatUnattributed: ignore,
};
