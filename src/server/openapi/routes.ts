/**
 * GET /api/openapi.json and GET /api/docs (mounted under /api). Both are built once per app, on
 * first request, from the registry and the routes' zod schemas, then served from memory.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { buildOpenApiDocument, type OpenApiDocument } from "./document.js";
import { renderDocsPage } from "./docs-page.js";

const CACHE_CONTROL = "public, max-age=300";

export function openapiRoutes() {
  let document: OpenApiDocument | null = null;
  let page: string | null = null;
  const documentFor = (c: Context<AppEnv>) => (document ??= buildOpenApiDocument({ serverUrl: c.get("deps").config.publicUrl }));

  return new Hono<AppEnv>()
    .get("/openapi.json", (c) => {
      c.header("Cache-Control", CACHE_CONTROL);
      return c.json(documentFor(c));
    })
    .get("/docs", async (c) => {
      page ??= String(await renderDocsPage(documentFor(c)));
      c.header("Cache-Control", CACHE_CONTROL);
      return c.html(page);
    });
}
