/**
 * The web app (src/web): TanStack Router file routes, React, Tailwind. Built into dist/web,
 * which `npm start` serves; `npm run dev` (src/dev.ts) runs it through Vite's dev server.
 */
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [
    // Must come before react(): it generates src/web/routeTree.gen.ts and splits route code.
    tanstackRouter({
      target: "react",
      routesDirectory: "./src/web/routes",
      generatedRouteTree: "./src/web/routeTree.gen.ts",
      autoCodeSplitting: true,
    }),
    react(),
    tailwindcss(),
  ],
  build: {
    outDir: "dist/web",
    emptyOutDir: true,
  },
});
