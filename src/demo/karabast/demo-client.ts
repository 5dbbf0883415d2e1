/**
 * The demo partner's registration: a client "karabast-demo" whose secret is generated at each
 * start and kept only in this process. Development only.
 */
import { generateToken } from "../../domain/tokens/token-vault.js";
import type { ClientService } from "../../domain/clients/client-service.js";

const DEMO_CLIENT_ID = "karabast-demo";
export const DEMO_SCOPES = ["decks", "email", "profile", "teams"];

export interface DemoClient {
  clientId: string;
  secret: string;
  redirectUri: string;
}

export async function registerDemoClient(clients: ClientService, publicUrl: string): Promise<DemoClient> {
  const secret = generateToken("client_secret");
  const redirectUri = `${publicUrl}/demo/karabast/callback`;
  await clients.upsertConfigured({ clientId: DEMO_CLIENT_ID, secret, redirectUris: [redirectUri], scopes: DEMO_SCOPES }, "Karabast (demo)");
  return { clientId: DEMO_CLIENT_ID, secret, redirectUri };
}
