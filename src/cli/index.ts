/**
 * Operator commands: `npm run cli -- <command>` (src/cli/main.ts; in a production install
 * `node dist/server/cli.js <command>`, its bundle).
 *   clients add --id ID --name NAME --redirect-uri URI [--redirect-uri URI2] [--scopes "decks email"] [--integration karabast]
 *   clients list
 *   clients rotate-secret ID [--drop-old]
 *   clients remove ID
 *   audit tail [--limit N]
 *   keys rotate
 * Reads the same configuration as the server (DATABASE_URL or DATA_DIR, keys).
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { OAuthError } from "../domain/errors.js";
import { reencryptStoredTokens } from "../domain/tokens/reencrypt.js";
import { createServices } from "../services.js";

const USAGE = `Usage: npm run cli -- <command>
  clients add --id ID --name NAME --redirect-uri URI [--redirect-uri URI ...] [--scopes "decks email profile teams"] [--integration karabast]
  clients list
  clients rotate-secret ID [--drop-old]
  clients remove ID
  audit tail [--limit N]   the newest link events of all users
  keys rotate          re-encrypt stored tokens under TOKEN_ENCRYPTION_KEY (old keys in TOKEN_ENCRYPTION_PREVIOUS_KEYS)`;

export async function runCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      integration: { type: "string", default: "karabast" },
      "redirect-uri": { type: "string", multiple: true },
      scopes: { type: "string", default: "decks email profile teams" },
      "drop-old": { type: "boolean", default: false },
      limit: { type: "string", default: "50" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command, arg] = positionals;
  if (values.help || !group) {
    out(USAGE);
    return group ? 0 : 2;
  }
  const config = loadConfig(env);
  const database = await openDatabase(config.databaseUrl ? { kind: "postgres", url: config.databaseUrl, maxConnections: 2 } : { kind: "pglite", dataDir: `${config.dataDir}/pglite` });
  const services = createServices({ config, db: database.db, clock: () => new Date() });
  try {
    const key = `${group} ${command ?? ""}`.trim();
    switch (key) {
      case "clients add": {
        if (!values.id || !values.name || !values["redirect-uri"]?.length) {
          out("clients add needs --id, --name and at least one --redirect-uri");
          return 2;
        }
        const { clientId, secret } = await services.clients.register({
          clientId: values.id,
          name: values.name,
          integration: values.integration ?? "karabast",
          redirectUris: values["redirect-uri"],
          scopes: (values.scopes ?? "").split(/[\s,+]+/).filter(Boolean),
        });
        out(`client_id:     ${clientId}`);
        out(`client_secret: ${secret}`);
        out("The secret is shown once. Store it in the partner's configuration now.");
        return 0;
      }
      case "clients list": {
        const clients = await services.clients.list();
        if (clients.length === 0) out("no clients");
        for (const c of clients)
          out(`${c.clientId}\t${c.name}\t${c.integration}\tscopes=${c.scopes.join(" ")}\tredirects=${c.redirectUris.join(",")}\tsecrets=${c.activeSecrets}`);
        return 0;
      }
      case "clients rotate-secret": {
        if (!arg) {
          out("clients rotate-secret needs a client id");
          return 2;
        }
        const { secret, validSecrets } = await services.clients.rotateSecret(arg, { dropOld: values["drop-old"] });
        out(`client_secret: ${secret}`);
        out(validSecrets === 2 ? "The previous secret stays valid until you run this again with --drop-old." : "Only the new secret is valid now.");
        return 0;
      }
      case "clients remove": {
        if (!arg) {
          out("clients remove needs a client id");
          return 2;
        }
        out((await services.clients.remove(arg)) ? `removed ${arg} and its links` : `no client ${arg}`);
        return 0;
      }
      case "audit tail": {
        const limit = Math.min(Math.max(Number.parseInt(values.limit ?? "50", 10) || 50, 1), 1000);
        const events = await services.audit.tail(limit);
        if (events.length === 0) out("no events");
        for (const e of events.reverse())
          out([e.at.toISOString(), e.event, `client=${e.clientId ?? "-"}`, `user=${e.userId ?? "-"}`, `external=${e.externalUserId ?? "-"}`, `ip=${e.ip ?? "-"}`, e.detail ?? ""].join("\t").trimEnd());
        return 0;
      }
      case "keys rotate": {
        const result = await reencryptStoredTokens(services.linkRepository, services.vault);
        out(`scanned ${result.scanned} links, re-encrypted ${result.reencrypted} tokens under key ${services.vault.currentKeyId}, ${result.skipped} changed meanwhile`);
        return 0;
      }
      default:
        out(`unknown command: ${key}\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof OAuthError) {
      out(`error: ${err.description}`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
