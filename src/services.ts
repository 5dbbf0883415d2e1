/**
 * The composition root of the domain: repositories and services built from config, db and clock.
 * Statistics read through `readDb` (the read replica when DATABASE_READ_URL is set); everything
 * else, writes and token checks included, through `db` (the primary).
 */
import type { Config } from "./config.js";
import type { Database, Db } from "./db/database.js";
import { createAuditLog } from "./domain/audit/audit-log.js";
import type { DomainObserver } from "./domain/observer.js";
import { auditRepository } from "./repositories/audit-repository.js";
import { createClientService } from "./domain/clients/client-service.js";
import { createGameService } from "./domain/games/game-service.js";
import { createHousekeeping } from "./domain/housekeeping/housekeeping.js";
import { createLinkService } from "./domain/links/link-service.js";
import { createMetaRefresh } from "./domain/meta/meta-refresh.js";
import { createCardTallyFold } from "./domain/stats/card-tally-fold.js";
import { createStatsRefresh } from "./domain/jobs/stats-refresh.js";
import { createSeatExportFold } from "./domain/stats/seat-export-fold.js";
import { cardTallyRepository } from "./repositories/card-tally-repository.js";
import { seatExportRepository } from "./repositories/seat-export-repository.js";
import { createMetaService } from "./domain/meta/meta-service.js";
import { createProfileService } from "./domain/profile/profile-service.js";
import { createStatsService } from "./domain/stats/stats-service.js";
import { createTokenService } from "./domain/tokens/token-service.js";
import { TokenVault } from "./domain/tokens/token-vault.js";
import { clientRepository } from "./repositories/client-repository.js";
import { gameRepository } from "./repositories/game-repository.js";
import { housekeepingRepository } from "./repositories/housekeeping-repository.js";
import { linkRepository } from "./repositories/link-repository.js";
import { metaRepository } from "./repositories/meta-repository.js";
import { profileRepository } from "./repositories/profile-repository.js";
import { statsBreakdownRepository } from "./repositories/stats-breakdown-repository.js";
import { statsRepository } from "./repositories/stats-repository.js";

export function createServices(deps: {
  config: Config;
  db: Db;
  /** Reads that may lag a moment behind the writes (statistics): the read replica's `Database.readDb`; default `db`. */
  readDb?: Db;
  /** Batching (DATABASE_BATCHING) is for PostgreSQL's pool; PGlite runs one statement at a time anyway. */
  dbKind?: Database["kind"];
  clock: () => Date;
  onAuditError?: (err: unknown) => void;
  observer?: DomainObserver;
}) {
  const { config, db, clock, observer } = deps;
  const readDb = deps.readDb ?? db;
  const batching = deps.dbKind === "postgres" ? config.batching : null;
  const audit = createAuditLog({ repo: auditRepository(db), clock, onError: deps.onAuditError ?? (() => {}) });
  const vault = new TokenVault({
    encryptionKey: config.secrets.tokenEncryptionKey,
    previousEncryptionKeys: config.secrets.previousTokenEncryptionKeys,
    hashKey: config.secrets.tokenHashKey,
  });
  const links = linkRepository(db, { batching });
  const clients = createClientService(clientRepository(db));
  const stats = createStatsService(statsRepository(readDb), statsBreakdownRepository(readDb));
  // The meta's refresh job writes (primary); its reads may lag (the read replica, like the statistics).
  const metaWrites = metaRepository(db);
  const metaRefresh = createMetaRefresh({ repo: metaWrites, clock });
  const cardTallyFold = createCardTallyFold({ repo: cardTallyRepository(db) });
  const seatExportFold = createSeatExportFold({ repo: seatExportRepository(db) });
  const tokens = createTokenService({ issuer: config.publicUrl, audit, links, vault, tokens: config.tokens, clock, observer });
  return {
    audit,
    vault,
    clients,
    linkRepository: links,
    links: createLinkService({ issuer: config.publicUrl, audit, clients, links, vault, linkTokenTtlSeconds: config.tokens.linkTokenTtlSeconds, clock }),
    tokens,
    games: createGameService({ games: gameRepository(db, { batching }), vault, clock, observer }),
    stats,
    profiles: createProfileService({ profiles: profileRepository(db), stats, clock }),
    meta: createMetaService(metaRepository(readDb)),
    metaRefresh,
    cardTallyFold,
    seatExportFold,
    /** The meta refresh, then the card tallies' fold and the export records' job: start.ts schedules it. */
    statsRefresh: createStatsRefresh({ metaRefresh, cardTallyFold, seatExportFold }),
    housekeeping: createHousekeeping({ repo: housekeepingRepository(db), clock, refreshTokenTtlSeconds: config.tokens.refreshTokenTtlSeconds }),
  };
}

export type Services = ReturnType<typeof createServices>;
