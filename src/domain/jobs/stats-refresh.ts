/**
 * The statistics' background job: the meta refresh (meta_daily), then the card tallies' fold up
 * to the game ids the meta refresh found settled (one job, so the settled ids are tracked once),
 * then the export records (seat_export) up to the same ids.
 */
import type { MetaRefresh, MetaRefreshResult } from "../meta/meta-refresh.js";
import type { CardTallyFold, CardTallyFoldResult } from "../stats/card-tally-fold.js";
import type { SeatExportFold, SeatExportFoldResult } from "../stats/seat-export-fold.js";

export interface StatsRefreshResult {
  meta: MetaRefreshResult;
  cards: CardTallyFoldResult;
  exports: SeatExportFoldResult;
  behind: boolean;
}

export function createStatsRefresh(jobs: { metaRefresh: MetaRefresh; cardTallyFold: CardTallyFold; seatExportFold: SeatExportFold }) {
  return {
    async runOnce(): Promise<StatsRefreshResult> {
      const meta = await jobs.metaRefresh.runOnce();
      const cards = await jobs.cardTallyFold.runOnce(meta.settledUpTo);
      const exports = await jobs.seatExportFold.runOnce(meta.settledUpTo);
      return { meta, cards, exports, behind: meta.behind || cards.behind || exports.behind };
    },
  };
}
