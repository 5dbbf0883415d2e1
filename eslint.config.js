import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "drizzle/", "src/web/routeTree.gen.ts", ".data/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The environment is read once, in src/config.ts.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from the Config object (src/config.ts)." }],
    },
  },
  {
    // ioredis is loaded only when REDIS_URL is set: a dynamic import in src/server/rate-limit/redis.ts; elsewhere its types only.
    files: ["src/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "ioredis",
              allowTypeImports: true,
              message: "Load ioredis only through connectRedis (src/server/rate-limit/redis.ts): a deployment without REDIS_URL never loads it.",
            },
          ],
        },
      ],
    },
  },
  {
    // The domain knows nothing of HTTP, metrics or the infrastructure: it reports through interfaces (e.g. src/domain/observer.ts).
    files: ["src/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["hono", "@hono/node-server", "prom-client", "ioredis", "rate-limiter-flexible", "pino"].map((name) => ({
            name,
            message: "The domain stays free of HTTP and infrastructure: take an interface in its deps.",
          })),
          patterns: [{ group: ["hono/*", "**/server/**"], message: "The domain stays free of HTTP and infrastructure: take an interface in its deps." }],
        },
      ],
    },
  },
  {
    files: ["src/config.ts", "src/main.ts", "src/dev.ts", "src/cli/**", "bench/**", "*.config.ts", ".ci/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
