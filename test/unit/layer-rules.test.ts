/**
 * The layer rules of eslint.config.js (README, "Layers") fire: each folder's forbidden import,
 * linted as a small virtual file in that folder through ESLint's Node API with the project's own
 * config, is an error, and an import the folder may make is not. A rule dropped or loosened in the
 * config fails here rather than silently letting the layers mix.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RULE = "@typescript-eslint/no-restricted-imports";

let eslint: ESLint;

/** The layer-rule messages for `code` as if it were the file at `path` (relative to the repository). */
async function restrictedImports(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: `${ROOT}${path}` });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  expect(fatal, `${path} parses`).toEqual([]);
  return messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

/** [folder's probe file, import it may not make, what the message says, an import it may make]. */
const CASES: [file: string, forbidden: string, says: RegExp, allowed: string][] = [
  // The domain: no HTTP, no infrastructure packages, nothing of the server or the web app.
  ["src/domain/stats/probe.ts", 'import { Hono } from "hono";', /domain stays free of HTTP/, 'import type { Db } from "../../db/database.js";'],
  ["src/domain/stats/probe.ts", 'import type { AppEnv } from "../../server/app-env.js";', /domain stays free of HTTP/, 'import { rate } from "./rates.js";'],
  ["src/domain/stats/probe.ts", 'import type { Overview } from "../../web/lib/stats.js";', /domain stays free of HTTP/, 'import type { StatsRepository } from "../../repositories/stats-repository.js";'],
  ["src/domain/probe.ts", 'import { Counter } from "prom-client";', /domain stays free of HTTP/, 'import { randomUUID } from "node:crypto";'],
  // Repositories and the schema: nothing of the layers above them (shared types live in src/db).
  ["src/repositories/probe.ts", 'import type { AuditLog } from "../domain/audit/audit-log.js";', /below the domain/, 'import type { StatementEvent } from "../db/schema.js";'],
  ["src/repositories/batching/probe.ts", 'import type { AppEnv } from "../../server/app-env.js";', /below the domain/, 'import type { Db } from "../../db/database.js";'],
  ["src/db/probe.ts", 'import type { Logger } from "../server/app-env.js";', /below the domain/, 'import { pgTable } from "drizzle-orm/pg-core";'],
  // Routes: no repository, no database module, no SQL, no crypto (not even a type).
  ["src/server/routes/stats/probe.ts", 'import { statsRepository } from "../../../repositories/stats-repository.js";', /no SQL, no repository/, 'import { badRequest } from "../../../domain/errors.js";'],
  ["src/server/routes/stats/probe.ts", 'import type { Db } from "../../../db/database.js";', /no SQL, no repository/, 'import type { AppEnv } from "../../app-env.js";'],
  ["src/server/routes/probe.ts", 'import { sql } from "drizzle-orm";', /no SQL, no repository/, 'import { z } from "zod";'],
  ["src/server/routes/oauth/probe.ts", 'import { randomBytes } from "node:crypto";', /no crypto/, 'import { Hono } from "hono";'],
  // The partner client: its own files and node: built-ins only.
  ["src/client/probe.ts", 'import type { TokenResponse } from "../domain/tokens/token-service.js";', /copied into partners' servers/, 'import { createHash } from "node:crypto";'],
  ["src/client/probe.ts", 'import { badRequest } from "../domain/errors.js";', /copied into partners' servers/, 'import { SwubaseLinkError } from "./errors.js";'],
  ["src/client/probe.ts", 'import { z } from "zod";', /copied into partners' servers/, 'import type { TokenResponse } from "./types.js";'],
  // The web app: of the server, response types only, from src/server/api-types.ts.
  ["src/web/lib/probe.ts", 'import { ROUTES } from "../../server/openapi/registry.js";', /runs in the browser/, 'import type { StatsOverview } from "../../server/api-types.js";'],
  ["src/web/lib/probe.ts", 'import { STATS_API } from "../../server/api-types.js";', /runs in the browser/, 'import { api } from "./api.js";'],
  ["src/web/routes/probe.ts", 'import type { StatsService } from "../../domain/stats/stats-service.js";', /runs in the browser/, 'import { z } from "zod";'],
  ["src/web/probe.ts", 'import type { Config } from "../config.js";', /runs in the browser/, 'import type { CardRef } from "./lib/stats.js";'],
  // Accounts and sessions: nothing of the HTTP layer.
  ["src/auth/probe.ts", 'import type { AppEnv } from "../server/app-env.js";', /below the HTTP layer/, 'import type { Logger } from "../logger.js";'],
  // Everywhere: ioredis only through connectRedis (its types anywhere).
  ["src/server/middleware/probe.ts", 'import Redis from "ioredis";', /only through connectRedis/, 'import type { Redis } from "ioredis";'],
  ["src/domain/probe.ts", 'import type { Redis } from "ioredis";', /domain stays free of HTTP/, 'import type { Db } from "../db/database.js";'],
];

describe("layer rules (eslint.config.js)", () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  it.each(CASES)("%s: %s is refused", async (file, forbidden, says) => {
    const messages = await restrictedImports(file, forbidden);
    expect(messages, forbidden).toHaveLength(1);
    expect(messages[0]).toMatch(says);
  });

  it.each(CASES)("%s: the allowed import beside it passes (%#)", async (file, _forbidden, _says, allowed) => {
    expect(await restrictedImports(file, allowed)).toEqual([]);
  });
});

describe("hot-path rules (eslint.config.js)", () => {
  it("refuses Hono's c.var (it copies every context variable on each read) and lets c.get pass", async () => {
    const lint = async (code: string) => {
      const [result] = await eslint.lintText(code, { filePath: `${ROOT}src/server/middleware/probe.ts` });
      return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-properties").map((m) => m.message);
    };
    expect(await lint('export const f = (c: { var: { user: string } }) => c.var.user;\n')).toEqual([expect.stringMatching(/c\.get\("name"\)/)]);
    expect(await lint('export const f = (c: { get(k: "user"): string }) => c.get("user");\n')).toEqual([]);
  });
});
