/** The composition root of the domain: repositories and services built from config, db and clock. */
import type { Config } from "./config.js";
import type { Db } from "./db/database.js";
import { createClientService } from "./domain/clients/client-service.js";
import { createLinkService } from "./domain/links/link-service.js";
import { createTokenService } from "./domain/tokens/token-service.js";
import { TokenVault } from "./domain/tokens/token-vault.js";
import { clientRepository } from "./repositories/client-repository.js";
import { linkRepository } from "./repositories/link-repository.js";

export function createServices(deps: { config: Config; db: Db; clock: () => Date }) {
  const { config, db, clock } = deps;
  const vault = new TokenVault({
    encryptionKey: config.secrets.tokenEncryptionKey,
    previousEncryptionKeys: config.secrets.previousTokenEncryptionKeys,
    hashKey: config.secrets.tokenHashKey,
  });
  const links = linkRepository(db);
  const clients = createClientService(clientRepository(db));
  return {
    vault,
    clients,
    linkRepository: links,
    links: createLinkService({ clients, links, vault, linkTokenTtlSeconds: config.tokens.linkTokenTtlSeconds, clock }),
    tokens: createTokenService({ links, vault, tokens: config.tokens, clock }),
  };
}

export type Services = ReturnType<typeof createServices>;
