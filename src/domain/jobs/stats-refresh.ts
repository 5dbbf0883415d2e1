/**
 * The statistics' background job: the meta refresh (meta_daily), then the card tallies' fold up
 * to the game ids the meta refresh found settled. One job, so the settled ids are tracked once.
 */
import type { MetaRefresh, MetaRefreshResult } from "../meta/meta-refresh.js";
import type { CardTallyFold, CardTallyFoldResult } from "../stats/card-tally-fold.js";

export interface StatsRefreshResult {
  meta: MetaRefreshResult;
  cards: CardTallyFoldResult;
  behind: boolean;
}

export function createStatsRefresh(jobs: { metaRefresh: MetaRefresh; cardTallyFold: CardTallyFold }) {
  return {
    async runOnce(): Promise<StatsRefreshResult> {
      const meta = await jobs.metaRefresh.runOnce();
      const cards = await jobs.cardTallyFold.runOnce(meta.settledUpTo);
      return { meta, cards, behind: meta.behind || cards.behind };
    },
  };
}
