/** The part of oidc-provider's API the benchmark's peer uses (the package ships no types). */
declare module "oidc-provider" {
  import type { Server } from "node:http";

  /** What the provider stores for one model instance (a token, a grant, a session…). */
  export interface AdapterPayload {
    [key: string]: unknown;
    jti?: string;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
  }

  /** The storage interface: one instance per model name ("AccessToken", "RefreshToken", "Grant", …). */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    token_endpoint_auth_method?: string;
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Configuration {
    adapter?: (name: string) => Adapter;
    clients?: ClientMetadata[];
    cookies?: { keys?: string[] };
    features?: Record<string, { enabled?: boolean; [key: string]: unknown }>;
    findAccount?: (ctx: unknown, sub: string) => Promise<Account | undefined> | Account | undefined;
    issueRefreshToken?: (ctx: unknown, client: Client, code: { scopes: Set<string> }) => Promise<boolean> | boolean;
    jwks?: { keys: Record<string, unknown>[] };
    rotateRefreshToken?: boolean;
    scopes?: string[];
    ttl?: Record<string, number | ((...args: unknown[]) => number)>;
    [key: string]: unknown;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface RefreshToken {
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    Grant: new (properties: { accountId: string; clientId: string }) => Grant;
    RefreshToken: new (properties: { client: Client; accountId: string; grantId: string; scope: string; gty: string }) => RefreshToken;
    Client: { find(id: string): Promise<Client | undefined> };
    listen(port: number, host: string, callback?: () => void): Server;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}

/** The provider's in-memory adapter (what it uses when no adapter is configured), over a store of our choosing. */
declare module "oidc-provider/lib/adapters/memory_adapter.js" {
  import type { Adapter } from "oidc-provider";
  import type LRU from "oidc-provider/lib/helpers/lru.js";
  export default class MemoryAdapter implements Adapter {
    constructor(model: string, store?: LRU, clockTolerance?: number);
    upsert: Adapter["upsert"];
    find: Adapter["find"];
    findByUserCode: Adapter["findByUserCode"];
    findByUid: Adapter["findByUid"];
    consume: Adapter["consume"];
    destroy: Adapter["destroy"];
    revokeByGrantId: Adapter["revokeByGrantId"];
  }
}

/** The two-generation LRU the in-memory adapter stores everything in (1,000 entries by default). */
declare module "oidc-provider/lib/helpers/lru.js" {
  export default class LRU {
    constructor(options: { maxSize: number });
  }
}
