import { describe, expect, it } from "vitest";
import type { CardTallyRepository } from "../../repositories/card-tally-repository.js";
import { createCardTallyFold } from "./card-tally-fold.js";

/** A repository that only keeps `folded_up_to` and the marked users, and records the calls. */
function fakeRepo(marked: string[] = []) {
  const calls: string[] = [];
  let foldedUpTo = 0;
  const repo: CardTallyRepository = {
    async fold(upTo, maxIds) {
      const to = Math.min(upTo, foldedUpTo + maxIds);
      calls.push(`fold ${foldedUpTo}→${Math.max(to, foldedUpTo)}`);
      foldedUpTo = Math.max(foldedUpTo, to);
      return foldedUpTo;
    },
    async markedUsers(limit) {
      return marked.slice(0, limit);
    },
    async recountUser(userId) {
      calls.push(`recount ${userId}`);
      marked.splice(marked.indexOf(userId), 1);
    },
  };
  return { repo, calls };
}

describe("card tally fold", () => {
  it("counts settled ids in steps of maxIdsPerStep, at most maxStepsPerRun a run, and says when it is behind", async () => {
    const { repo, calls } = fakeRepo();
    const fold = createCardTallyFold({ repo, maxIdsPerStep: 100, maxStepsPerRun: 3 });
    expect(await fold.runOnce(450)).toEqual({ foldedUpTo: 300, recounted: 0, behind: true });
    expect(await fold.runOnce(450)).toEqual({ foldedUpTo: 450, recounted: 0, behind: false });
    expect(calls).toEqual(["fold 0→100", "fold 100→200", "fold 200→300", "fold 300→400", "fold 400→450"]);
    // Nothing new settled: one statement that finds nothing to count.
    expect(await fold.runOnce(450)).toEqual({ foldedUpTo: 450, recounted: 0, behind: false });
    expect(calls.at(-1)).toBe("fold 450→450");
  });

  it("never counts past the settled ids, even when it has counted further before (another instance)", async () => {
    const { repo } = fakeRepo();
    const fold = createCardTallyFold({ repo, maxIdsPerStep: 1000 });
    await fold.runOnce(500);
    expect(await fold.runOnce(200)).toEqual({ foldedUpTo: 500, recounted: 0, behind: false });
  });

  it("counts the marked users again, at most maxUsersPerRun a run", async () => {
    const { repo, calls } = fakeRepo(["u1", "u2", "u3"]);
    const fold = createCardTallyFold({ repo, maxUsersPerRun: 2 });
    expect(await fold.runOnce(0)).toEqual({ foldedUpTo: 0, recounted: 2, behind: true });
    expect(await fold.runOnce(0)).toEqual({ foldedUpTo: 0, recounted: 1, behind: false });
    expect(calls.filter((c) => c.startsWith("recount"))).toEqual(["recount u1", "recount u2", "recount u3"]);
  });
});
