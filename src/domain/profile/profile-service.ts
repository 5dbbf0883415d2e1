/**
 * Public profiles: a user's handle and two choices, and the statistics a public handle shows.
 *
 * Statistics are private until the user turns `publicStats` on (which needs a handle); they are
 * then readable by anyone at /u/{handle} (any case) and GET /api/public/{handle}/stats, and stop
 * being so the moment it is turned off: every request looks the handle up again, nothing is
 * cached. A public page shows the totals, leaders, bases and recent games, computed by the
 * statistics service itself; nothing that identifies the account (email, user id, partner ids,
 * tokens) is part of those. An unknown handle and a private one get the same 404.
 *
 * `metaOptOut` leaves the user's games out of the meta across players (meta-refresh.ts: from
 * the next refresh run on).
 */
import { OAuthError, badRequest, notFound } from "../errors.js";
import type { ProfileChange, ProfileRepository, ProfileRow } from "../../repositories/profile-repository.js";
import type { Paging, StatsService } from "../stats/stats-service.js";

export type Profile = ProfileRow;
export type { ProfileChange } from "../../repositories/profile-repository.js";

const handleTaken = () => new OAuthError("invalid_request", "handle is already taken; choose another", 409);

export function createProfileService(deps: { profiles: ProfileRepository; stats: StatsService; clock: () => Date }) {
  const { profiles, stats, clock } = deps;

  return {
    get: (userId: string): Promise<Profile> => profiles.get(userId),

    /**
     * Changes the given fields. Public statistics need a handle; a handle someone else holds (in
     * any case) is 409. `handle: null` clears the handle, which makes the statistics private too
     * (the old /u/{handle} answers 404 at once, and the handle is free for anyone).
     */
    async update(userId: string, change: ProfileChange): Promise<Profile> {
      if (change.publicStats === true && change.handle === null) throw badRequest("handle is required to make your statistics public: it cannot be cleared at the same time");
      if (change.publicStats === true && change.handle === undefined) {
        const current = await profiles.get(userId);
        if (current.handle === null) throw badRequest("handle is required to make your statistics public: choose one first");
      }
      const outcome = await profiles.save(userId, change, clock());
      if (!outcome.saved) throw handleTaken();
      return outcome.profile;
    },

    /** What /u/{handle} shows: the totals with a page of recent games, and the results by leader and by base. */
    async publicStats(handle: string, paging: Paging) {
      const owner = await profiles.findPublic(handle);
      if (!owner) throw notFound("No public statistics under this handle");
      const [overview, leaders, bases] = await Promise.all([
        stats.overview(owner.userId, {}, paging),
        stats.leaders(owner.userId, {}),
        stats.bases(owner.userId, {}),
      ]);
      return { handle: owner.handle, ...overview, leaders: leaders.items, bases: bases.items };
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
