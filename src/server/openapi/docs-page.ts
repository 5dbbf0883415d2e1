/**
 * GET /api/docs: the OpenAPI document as one readable HTML page, rendered here from the document
 * itself (so page and JSON cannot disagree). No scripts: the site's CSP forbids inline scripts and
 * there is no CDN; a small inline <style> is allowed. Every value goes through hono/html's `html`
 * template, which escapes it.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { OpenApiDocument, Operation } from "./document.js";
import type { JsonSchema } from "./registry.js";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = raw(`
  :root { color-scheme: light dark; --fg: #1f2937; --muted: #4b5563; --bg: #fff; --card: #f9fafb; --line: #e5e7eb; --code: #f3f4f6; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e5e7eb; --muted: #9ca3af; --bg: #0b1020; --card: #151b2e; --line: #2a3350; --code: #0f1526; } }
  body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
  main { max-width: 960px; margin: 0 auto; padding: 2rem 1rem 4rem; }
  p { overflow-wrap: break-word; } /* a long setting name in prose never widens the page at 375 px */
  h1 { margin: 0 0 .25rem; } h2 { margin: 2.5rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
  h3 { margin: 0; font-size: 1.05rem; font-family: ui-monospace, monospace; word-break: break-all; }
  h4 { margin: 1rem 0 .35rem; font-size: .9rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .muted { color: var(--muted); } .small { font-size: .85rem; }
  nav ul { columns: 2; padding-left: 1.2rem; } nav li { break-inside: avoid; }
  @media (max-width: 48rem) { nav ul { columns: 1; } }
  a:focus-visible, .scroll:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
  nav a, h3 a { color: inherit; }
  section.op { min-width: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0; }
  .method { display: inline-block; min-width: 4.2rem; text-align: center; font: 600 .8rem ui-monospace, monospace; border-radius: 6px; padding: .15rem .4rem; margin-right: .5rem; color: #fff; }
  .get { background: #2563eb; } .post { background: #047857; } .patch { background: #b45309; } .delete { background: #dc2626; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-top: 1px solid var(--line); }
  th { color: var(--muted); font-weight: 600; }
  .scroll { overflow-x: auto; } table.responses { table-layout: fixed; } table.responses td:first-child { width: 3.5rem; }
  code, pre { font-family: ui-monospace, monospace; font-size: .85rem; overflow-wrap: anywhere; } code { background: var(--code); padding: 0 .2rem; border-radius: 4px; }
  pre { background: var(--code); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; white-space: pre-wrap; }
  .req { color: #b45309; font-weight: 600; }
`);

/** Text with `backticked` spans shown as code (the registry's descriptions use them). */
function prose(text: string): Html {
  return html`${text.split("`").map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}`;
}

const isRef = (s: JsonSchema): s is { $ref: string } => typeof s.$ref === "string";
const refName = (s: { $ref: string }) => s.$ref.split("/").pop()!;

/** A short type for a JSON Schema fragment: `string`, `string | number`, `"Bearer"`, `object[]`. */
function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return "any";
  if (isRef(schema)) return refName(schema);
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && !schema.type) return union.map(typeLabel).join(" | ");
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  return (
    types.map((t) => (t === "array" ? `${typeLabel(schema.items as JsonSchema | undefined)}[]` : t === "string" && schema.format ? `string (${String(schema.format)})` : t)).join(" | ") ||
    "any"
  );
}

/** Limits worth a reader's attention: length, range, default. */
function limits(schema: JsonSchema): string {
  const parts: string[] = [];
  if (typeof schema.minLength === "number" && schema.minLength > 0) parts.push(`min ${schema.minLength} chars`);
  if (typeof schema.maxLength === "number") parts.push(`max ${schema.maxLength} chars`);
  if (typeof schema.minimum === "number") parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number") parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.minItems === "number" && schema.minItems === schema.maxItems) parts.push(`exactly ${schema.minItems} items`);
  else if (typeof schema.maxItems === "number") parts.push(`max ${schema.maxItems} items`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(", ");
}

/** The description without the "Also accepted: …" sentence (aliases get their own column). */
const plainDescription = (schema: JsonSchema) => (typeof schema.description === "string" ? schema.description.replace(/\s*Also accepted: [^.]*\.$/, "") : "");

const aliasCell = (aliases: unknown) =>
  Array.isArray(aliases) && aliases.length ? html`${(aliases as string[]).map((a, i) => html`${i ? ", " : ""}<code>${a}</code>`)}` : html`<span class="muted">–</span>`;

/**
 * A table in a box that scrolls sideways on narrow screens; the box is a named, focusable region so
 * keyboard users can scroll it (WCAG 2.1.1).
 */
const scrollBox = (label: string, table: Html) => html`<div class="scroll" tabindex="0" role="region" aria-label="${label}">${table}</div>`;

function fieldsTable(schema: JsonSchema, label: string): Html {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(([name, property]) => {
    const note = [plainDescription(property), limits(property)].filter(Boolean).join(" · ");
    return html`<tr>
      <td><code>${name}</code></td><td>${aliasCell(property["x-aliases"])}</td><td class="t"><code>${typeLabel(property)}</code></td>
      <td>${required.has(name) ? html`<span class="req">required</span>` : "optional"}</td><td>${prose(note)}</td>
    </tr>`;
  });
  return scrollBox(label, html`<table><tr><th>field (wire name)</th><th>also accepted</th><th>type</th><th></th><th>notes</th></tr>${rows}</table>`);
}

function parametersTable(parameters: JsonSchema[], label: string): Html {
  const rows = parameters.map((p) => {
    const schema = (p.schema ?? {}) as JsonSchema;
    const note = [typeof p.description === "string" ? p.description.replace(/\s*Also accepted: [^.]*\./, "") : "", limits(schema)].filter(Boolean).join(" · ");
    return html`<tr>
      <td><code>${String(p.name)}</code></td><td>${String(p.in)}</td><td>${aliasCell(p["x-aliases"])}</td><td class="t"><code>${typeLabel(schema)}</code></td>
      <td>${p.required ? html`<span class="req">required</span>` : "optional"}</td><td>${prose(note)}</td>
    </tr>`;
  });
  return scrollBox(label, html`<table><tr><th>parameter</th><th>in</th><th>also accepted</th><th>type</th><th></th><th>notes</th></tr>${rows}</table>`);
}

const json = (value: unknown) => html`<pre>${JSON.stringify(value, null, 2)}</pre>`;
const anchor = (op: Operation) => `op-${op.operationId}`;

type Media = { example?: unknown; examples?: Record<string, { summary?: string; value: unknown }> };

function requestExamples(media: Media): (readonly [string, unknown])[] {
  if (media.examples) return Object.entries(media.examples).map(([name, e]) => [e.summary ?? name, e.value] as const);
  return media.example !== undefined ? [["", media.example] as const] : [];
}

function requestSection(doc: OpenApiDocument, op: Operation, where: string): Html {
  const body = op.requestBody;
  if (!body) return html``;
  const types = Object.keys(body.content);
  const first = body.content[types[0]!]!;
  const variants = (first.schema.oneOf as JsonSchema[] | undefined) ?? [first.schema];
  const resolve = (s: JsonSchema) => (isRef(s) ? (doc.components.schemas[refName(s)] ?? {}) : s);
  return html`<h4>Request body</h4>
    <p class="small">${types.map((t, i) => html`${i ? " or " : ""}<code>${t}</code>`)}. ${prose(body.description)}</p>
    ${variants.map((v) => {
      const schema = resolve(v);
      const title = String(schema.title ?? (isRef(v) ? refName(v) : ""));
      return html`${variants.length > 1 ? html`<p><strong>${title}</strong></p>` : ""}${fieldsTable(schema, `Request body of ${where}${variants.length > 1 && title ? ` (${title})` : ""}`)}`;
    })}
    ${requestExamples(first).map(([name, value]) => html`<h4>Example request${name ? html` (${name})` : ""}</h4>${json(value)}`)}`;
}

function responseSection(op: Operation): Html {
  return html`${Object.entries(op.responses).map(([status, response]) => {
    const description = String(response.description ?? "");
    const content = response.content as Record<string, { schema?: JsonSchema; example?: unknown; examples?: Record<string, { value: unknown }> }> | undefined;
    const media = content ? Object.values(content)[0] : undefined;
    const headers = response.headers as Record<string, { example?: unknown }> | undefined;
    const isSuccess = status.startsWith("2") || status.startsWith("3");
    const examples = media?.examples ? Object.entries(media.examples).map(([name, e]) => [name, e.value] as const) : media?.example !== undefined ? [["", media.example] as const] : [];
    return html`<tr>
      <td><strong>${status}</strong></td>
      <td>${prose(description)}${headers ? html`<div class="small muted">${Object.entries(headers).map(([k, v]) => html`<code>${k}: ${String(v.example ?? "")}</code> `)}</div>` : ""}
        ${isSuccess && media?.schema && Object.keys(media.schema).length ? html`<div class="small">schema: <code>${typeLabel(media.schema)}</code></div>` : ""}
        ${examples.map(([name, value]) => html`${name ? html`<div class="small">example “${name}”</div>` : ""}${json(value)}`)}
      </td>
    </tr>`;
  })}`;
}

function operationSection(doc: OpenApiDocument, path: string, method: string, op: Operation): Html {
  const [description, auth] = op.description.split("\n\nAuth: ");
  return html`<section class="op" id="${anchor(op)}">
    <h3><span class="method ${method}">${method.toUpperCase()}</span><a href="#${anchor(op)}">${path}</a></h3>
    <p><strong>${op.summary}</strong></p>
    <p>${prose(description ?? "")}</p>
    <p class="small"><strong>Auth:</strong> ${prose(auth ?? "")}</p>
    ${op.parameters?.length ? html`<h4>Parameters</h4>${parametersTable(op.parameters, `Parameters of ${method.toUpperCase()} ${path}`)}` : ""}
    ${requestSection(doc, op, `${method.toUpperCase()} ${path}`)}
    <h4>Responses</h4>
    ${Object.keys(op.responses).some((s) => Number(s) >= 400) ? html`<p class="small muted">Errors are JSON <code>{"error": "…", "error_description": "…"}</code> (schema <code>Error</code>).</p>` : ""}
    <table class="responses">${responseSection(op)}</table>
  </section>`;
}

export function renderDocsPage(doc: OpenApiDocument): Html {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const byTag = doc.tags.map((tag) => ({ tag: tag.name, ops: operations.filter((o) => o.op.tags[0] === tag.name) }));
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title}</title><style>${STYLE}</style></head>
<body><main>
  <h1>${doc.info.title}</h1>
  <p class="muted">OpenAPI ${doc.openapi} · machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
  <p>${prose(doc.info.description)}</p>
  <p class="small muted">Not documented here: ${doc["x-undocumented"].map((u, i) => html`${i ? "; " : ""}<code>${u.path}</code> (${u.reason})`)}.</p>
  <nav><ul>${operations.map(({ path, method, op }) => html`<li><a href="#${anchor(op)}"><code>${method.toUpperCase()} ${path}</code></a> – ${op.summary}</li>`)}</ul></nav>
  ${byTag.map(({ tag, ops }) => html`<h2>${tag}</h2>${ops.map(({ path, method, op }) => operationSection(doc, path, method, op))}`)}
</main></body></html>`;
}
