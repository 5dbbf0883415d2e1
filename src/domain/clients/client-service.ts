/**
 * Partner clients: registration, secret rotation, and authentication of every
 * server-to-server call. Secrets are 256-bit random and stored only as SHA-256 digests;
 * the comparison is constant time. A short in-process cache keeps client authentication off
 * the database on hot paths (refresh, game results); changes made here clear it at once,
 * changes made by another process are seen within `cacheMs`.
 */
import { randomBytes } from "node:crypto";
import type { KarabastClientConfig } from "../../config.js";
import type { ClientRepository, ClientRow } from "../../repositories/client-repository.js";
import { OAuthError } from "../errors.js";
import { clientSecretDigest, constantTimeEqual, generateToken } from "../tokens/token-vault.js";
import { isKnownScope } from "./scopes.js";

export interface Client {
  clientId: string;
  name: string;
  integration: string;
  redirectUris: string[];
  scopes: string[];
}

export interface ClientSummary extends Client {
  activeSecrets: number;
  createdAt: Date;
  updatedAt: Date;
}

const toClient = (row: ClientRow): Client => ({
  clientId: row.clientId,
  name: row.name,
  integration: row.integration,
  redirectUris: row.redirectUris,
  scopes: row.scopes,
});

export const INVALID_CLIENT_MESSAGE = "Client authentication failed (unknown client or wrong secret)";

function validateRegistration(input: { clientId: string; name: string; integration: string; redirectUris: string[]; scopes: string[] }) {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._~-]{3,200}$/.test(input.clientId)) problems.push("client id must be 3-200 characters of A-Z a-z 0-9 . _ ~ -");
  if (!input.name.trim()) problems.push("name is required");
  if (!/^[a-z0-9-]{1,50}$/.test(input.integration)) problems.push("integration must be lower-case letters, digits or -");
  if (input.redirectUris.length === 0) problems.push("at least one redirect URI is required");
  for (const uri of input.redirectUris) {
    if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol) || new URL(uri).hash)
      problems.push(`redirect URI "${uri}" must be an absolute http(s) URL without a fragment`);
  }
  for (const s of input.scopes) if (!isKnownScope(s)) problems.push(`unknown scope "${s}"`);
  if (problems.length) throw new OAuthError("invalid_request", problems.join("; "));
}

export function createClientService(repo: ClientRepository, options: { cacheMs?: number; now?: () => number } = {}) {
  const cacheMs = options.cacheMs ?? 5000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { row: ClientRow | null; until: number }>();

  async function load(clientId: string): Promise<ClientRow | null> {
    const hit = cache.get(clientId);
    if (hit && hit.until > now()) return hit.row;
    const row = await repo.findById(clientId);
    if (cache.size > 1000) cache.clear();
    cache.set(clientId, { row, until: now() + cacheMs });
    return row;
  }

  return {
    async find(clientId: string): Promise<Client | null> {
      const row = await load(clientId);
      return row ? toClient(row) : null;
    },

    /** RFC 6749 §2.3.1: the client proves itself with its secret; any failure is one answer. */
    async authenticate(clientId: string, secret: string): Promise<Client> {
      const row = clientId.length <= 200 ? await load(clientId) : null;
      const presented = clientSecretDigest(secret);
      const ok = row !== null && row.secretDigests.map((d) => constantTimeEqual(d, presented)).includes(true);
      if (!row || !ok) throw new OAuthError("invalid_client", INVALID_CLIENT_MESSAGE);
      return toClient(row);
    },

    async register(input: { clientId?: string; name: string; integration: string; redirectUris: string[]; scopes: string[] }) {
      const clientId = input.clientId ?? `${input.integration}-${randomBytes(8).toString("hex")}`;
      validateRegistration({ ...input, clientId });
      const secret = generateToken("client_secret");
      const inserted = await repo.insert({
        clientId,
        name: input.name.trim(),
        integration: input.integration,
        redirectUris: input.redirectUris,
        scopes: input.scopes,
        secretDigests: [clientSecretDigest(secret)],
      });
      if (!inserted) throw new OAuthError("invalid_request", `a client with id "${clientId}" already exists`);
      cache.delete(clientId);
      return { clientId, secret };
    },

    /** Upserts the client described by KARABAST_* settings (its secret given, not generated). */
    async upsertConfigured(config: KarabastClientConfig, name = "Karabast") {
      validateRegistration({ clientId: config.clientId, name, integration: "karabast", redirectUris: config.redirectUris, scopes: config.scopes });
      await repo.upsert({
        clientId: config.clientId,
        name,
        integration: "karabast",
        redirectUris: config.redirectUris,
        scopes: config.scopes,
        secretDigests: [clientSecretDigest(config.secret)],
      });
      cache.delete(config.clientId);
    },

    /**
     * Issues a new secret. The newest previous secret stays valid until `dropOld` is asked
     * for (at most two at once), so a partner can deploy the new one without downtime.
     */
    async rotateSecret(clientId: string, options: { dropOld?: boolean } = {}) {
      const row = await repo.findById(clientId);
      if (!row) throw new OAuthError("not_found", `no client "${clientId}"`);
      const secret = generateToken("client_secret");
      const digests = options.dropOld ? [clientSecretDigest(secret)] : [clientSecretDigest(secret), ...row.secretDigests.slice(0, 1)];
      await repo.setSecretDigests(clientId, digests);
      cache.delete(clientId);
      return { clientId, secret, validSecrets: digests.length };
    },

    async remove(clientId: string): Promise<boolean> {
      cache.delete(clientId);
      return repo.remove(clientId);
    },

    async list(): Promise<ClientSummary[]> {
      return (await repo.list()).map((row) => ({
        ...toClient(row),
        activeSecrets: row.secretDigests.length,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      }));
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
