import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// ---- layers (README, "Layers") -------------------------------------------------------------------
// One rule, @typescript-eslint/no-restricted-imports, per folder: a later block replaces an earlier
// one's options for the files it matches, so each block lists everything its folder may not import
// (the ioredis entry included). test/unit/layer-rules.test.ts proves every rule still fires.

// ioredis is loaded only when REDIS_URL is set: a dynamic import in src/server/rate-limit/redis.ts; elsewhere its types only.
const IOREDIS = {
  name: "ioredis",
  allowTypeImports: true,
  message: "Load ioredis only through connectRedis (src/server/rate-limit/redis.ts): a deployment without REDIS_URL never loads it.",
};
const restrictImports = ({ paths = [], patterns = [] }) => [
  "error",
  { paths: paths.some((p) => p.name === IOREDIS.name) ? paths : [IOREDIS, ...paths], patterns },
];
const banned = (names, message) => names.map((name) => ({ name, message }));

const DOMAIN = "The domain stays free of HTTP and infrastructure: take an interface in its deps.";
const PERSISTENCE = "Repositories and the database schema sit below the domain and the HTTP layer: the types both share live here (e.g. src/db/schema-*.ts).";
const ROUTES = "A route parses with zod, calls one domain function and maps the result: no SQL, no repository, no crypto (c.get('deps').services).";
const CLIENT = "src/client is copied into partners' servers: it imports only its own files and node: built-ins.";
const WEB = "The web app runs in the browser: of the server it imports only response types, type-only, from src/server/api-types.ts.";
const AUTH = "Accounts and sessions sit below the HTTP layer: share types through a module outside src/server (e.g. src/logger.ts).";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "drizzle/", "src/web/routeTree.gen.ts", ".data/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The environment is read once, in src/config.ts.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from the Config object (src/config.ts)." },
        // Hono's c.var is a getter that copies every context variable into a new object on each read
        // (2.3 % of a refresh's CPU when the middlewares read it ~10 times a request).
        { object: "c", property: "var", message: 'Read context variables with c.get("name"): c.var copies them all on every read.' },
      ],
    },
  },
  { files: ["src/**"], rules: { "@typescript-eslint/no-restricted-imports": restrictImports({}) } },
  {
    // The domain knows nothing of HTTP, metrics or the infrastructure: it reports through interfaces (e.g. src/domain/observer.ts).
    files: ["src/domain/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({
        paths: banned(["hono", "@hono/node-server", "prom-client", "ioredis", "rate-limiter-flexible", "pino"], DOMAIN),
        patterns: [{ group: ["hono/*", "**/server/**", "**/web/**"], message: DOMAIN }],
      }),
    },
  },
  {
    files: ["src/repositories/**", "src/db/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({
        patterns: [{ group: ["**/domain/**", "**/server/**", "**/web/**", "**/auth/**"], message: PERSISTENCE }],
      }),
    },
  },
  {
    files: ["src/server/routes/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({
        paths: banned(["drizzle-orm", "postgres", "@electric-sql/pglite", "node:crypto", "crypto"], ROUTES),
        patterns: [{ group: ["**/repositories/**", "**/db/**", "drizzle-orm/*"], message: ROUTES }],
      }),
    },
  },
  {
    files: ["src/client/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({ patterns: [{ regex: "^(?!\\./|node:)", message: CLIENT }] }),
    },
  },
  {
    files: ["src/web/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({
        patterns: [
          {
            group: ["**/server/**", "!**/server/api-types.js", "**/domain/**", "**/repositories/**", "**/db/**", "**/auth/**", "**/cli/**", "**/demo/**", "**/config.js", "**/services.js", "**/logger.js"],
            message: WEB,
          },
          { group: ["**/server/api-types.js"], allowTypeImports: true, message: WEB },
        ],
      }),
    },
  },
  {
    files: ["src/auth/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports({ patterns: [{ group: ["**/server/**", "**/web/**"], message: AUTH }] }),
    },
  },
  {
    files: ["src/config.ts", "src/main.ts", "src/dev.ts", "src/cli/**", "bench/**", "*.config.ts", ".ci/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
