import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/db/schema.ts", "./src/db/schema-games.ts", "./src/db/schema-audit.ts"],
  out: "./drizzle",
});
