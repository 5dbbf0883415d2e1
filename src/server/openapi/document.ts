/**
 * The OpenAPI 3.1 document, built from the registry and the routes' own zod schemas.
 *
 * Why `z.toJSONSchema` and not @hono/zod-openapi: our routes do not validate with a Hono
 * validator. They read the body once (readBody), fold every spelling of a field into one
 * internal name (normaliseFields) and only then parse with a zod schema (parseFields). A
 * zod-openapi route would validate the raw wire body with the internal camelCase names, which
 * is not what the service accepts. So the schemas stay where they are, and this module converts
 * them (zod 4's built-in converter, no extra dependency) and renames each property to the
 * deployed client's spelling, listing the other accepted spellings beside it.
 */
import { z } from "zod";
import { aliasesOf } from "./aliases.js";
import { ROUTES, UNDOCUMENTED, type AuthKind, type BodyVariant, type JsonSchema, type ParameterDoc, type RouteDoc } from "./registry.js";
import { ErrorBody, TokenResponseBody } from "./schemas.js";

export const OPENAPI_VERSION = "3.1.0";

export interface OpenApiDocument {
  openapi: typeof OPENAPI_VERSION;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
  "x-undocumented": readonly { path: string; reason: string }[];
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody?: {
    required: boolean;
    description: string;
    content: Record<string, { schema: JsonSchema; example?: unknown; examples?: Record<string, { summary?: string; value: unknown }> }>;
  };
  responses: Record<string, JsonSchema>;
  "x-auth": AuthKind;
  "x-same-origin"?: true;
}

const SESSION_COOKIE = "better-auth.session_token";

const SECURITY_SCHEMES = {
  clientSecretBasic: {
    type: "http",
    scheme: "basic",
    description:
      "Partner client authentication (RFC 6749 §2.3.1): HTTP Basic with the form-urlencoded client id and secret. " +
      "Alternatively client_id and client_secret in the body (client_secret_post); OpenAPI has no scheme for body credentials, " +
      "so those operations also list an empty requirement and document the two body fields.",
  },
  session: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: `The better-auth session cookie (\`__Secure-${SESSION_COOKIE}\` over https), set by POST /api/auth/sign-in/email.`,
  },
  bearer: { type: "http", scheme: "bearer", description: "An access token (`swba_…`) issued by link-confirm, refresh-token or /oauth/token." },
} as const;

const SECURITY: Record<AuthKind, Record<string, string[]>[]> = {
  partner: [{ clientSecretBasic: [] }, {}],
  session: [{ session: [] }],
  bearer: [{ bearer: [] }],
  sessionOrStats: [{ session: [] }, { bearer: ["stats"] }],
  none: [],
};

const AUTH_TEXT: Record<AuthKind, string> = {
  partner: "Partner client: HTTP Basic, or client_id + client_secret in the body.",
  session: "Session cookie of a signed-in user.",
  bearer: "Bearer access token.",
  sessionOrStats: "Session cookie of a signed-in user, or a Bearer access token whose link has the `stats` scope (for that link's user).",
  none: "None.",
};

function describeAuth(route: Pick<RouteDoc, "auth" | "sameOrigin">): string {
  return AUTH_TEXT[route.auth] + (route.sameOrigin ? " Same-origin requests only." : "");
}

/** zod → JSON Schema of what the route accepts (the input side of transforms and defaults). */
function toJsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function alsoAccepted(schema: JsonSchema, others: readonly string[]): JsonSchema {
  if (others.length === 0) return schema;
  const note = `Also accepted: ${others.join(", ")}.`;
  const description = typeof schema.description === "string" ? `${schema.description} ${note}` : note;
  return { ...schema, description, "x-aliases": [...others] };
}

/** The client credentials every partner body may carry (client-auth.ts reads them; no zod schema). */
function clientCredentialProperties(): Record<string, JsonSchema> {
  const [idWire, ...idOthers] = aliasesOf("clientId");
  const [secretWire, ...secretOthers] = aliasesOf("clientSecret");
  const unlessBasic = "Required unless HTTP Basic credentials are sent (if both, they must name the same client).";
  return {
    [idWire!]: alsoAccepted({ type: "string", maxLength: 200, description: `The partner's client id. ${unlessBasic}` }, idOthers),
    [secretWire!]: alsoAccepted({ type: "string", description: `The partner's client secret (\`swbs_…\`). ${unlessBasic}` }, secretOthers),
  };
}

/**
 * A route's object schema with every top-level property renamed to its wire spelling (the first
 * alias, snake_case) and the other spellings listed; nested members (e.g. game-result's `data`)
 * are not renamed by the service and keep their names.
 */
function wireSchema(schema: z.ZodType, options: { partner?: boolean; title?: string } = {}): JsonSchema {
  const json = toJsonSchema(schema);
  const properties: Record<string, JsonSchema> = options.partner ? clientCredentialProperties() : {};
  const required: string[] = [];
  const internalRequired = new Set((json.required as string[] | undefined) ?? []);
  for (const [field, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
    const [wire, ...others] = aliasesOf(field);
    properties[wire!] = alsoAccepted(property, others);
    if (internalRequired.has(field)) required.push(wire!);
  }
  const { properties: _p, required: _r, ...rest } = json;
  return {
    ...(options.title ? { title: options.title } : {}),
    ...rest,
    type: "object",
    properties,
    ...(required.length ? { required } : {}),
  };
}

/**
 * Query parameters from a zod object schema, named as on the wire: a property's description (and
 * `example`, from the schema's `.meta`) describe the parameter, the rest is its schema.
 */
function queryParameters(schema: z.ZodType, note?: string): JsonSchema[] {
  const json = wireSchema(schema);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(json.properties as Record<string, JsonSchema>).map(([name, property]) => {
    const { description, example, "x-aliases": aliases, ...propertySchema } = property;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(description || note ? { description: [description, note].filter(Boolean).join(" ") } : {}),
      ...(aliases ? { "x-aliases": aliases } : {}),
      schema: propertySchema,
      ...(example !== undefined ? { example } : {}),
    };
  });
}

const parameter = (p: ParameterDoc): JsonSchema => ({
  name: p.name,
  in: p.in,
  required: p.in === "path" ? true : (p.required ?? false),
  description: p.description,
  schema: p.schema,
  ...(p.example !== undefined ? { example: p.example } : {}),
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function requestBody(route: RouteDoc, schemas: Record<string, JsonSchema>): Operation["requestBody"] {
  const spec = route.body!;
  const partner = route.auth === "partner";
  const add = (v: BodyVariant) => {
    schemas[v.name] = wireSchema(v.schema, { partner, ...(v.title ? { title: v.title } : {}) });
    return ref(v.name);
  };
  const refs = spec.variants.map(add);
  const examples =
    spec.variants.length === 1
      ? { example: spec.variants[0]!.example }
      : { examples: Object.fromEntries(spec.variants.map((v) => [v.name, { ...(v.title ? { summary: v.title } : {}), value: v.example }])) };
  const schema = refs.length === 1 ? refs[0]! : { oneOf: refs };
  const limit = `At most ${Math.round(spec.maxBytes / 1024)} kB (413 beyond); other content types are a 415.`;
  const spellings = "Field names may be sent in any listed spelling; two spellings of one field with different values are a 400.";
  return {
    required: true,
    description: [limit, spellings, spec.note].filter(Boolean).join(" "),
    content: Object.fromEntries(spec.contentTypes.map((type) => [type, { schema, ...examples }])),
  };
}

function responses(route: RouteDoc): Record<string, JsonSchema> {
  const r = route.response;
  const contentType = r.contentType ?? "application/json";
  const schema = r.schemaRef ? ref(r.schemaRef) : contentType === "application/json" ? {} : { type: "string" };
  const examples = r.examples ? { default: { value: r.example }, ...Object.fromEntries(Object.entries(r.examples).map(([k, v]) => [k, { value: v }])) } : undefined;
  const success: JsonSchema = {
    description: r.description,
    ...(r.headers
      ? { headers: Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, { schema: { type: "string" }, example: value }])) }
      : {}),
    ...(r.status === 302
      ? {}
      : {
          content: {
            [contentType]: { schema, ...(examples ? { examples } : r.example !== undefined ? { example: r.example } : {}) },
            ...Object.fromEntries(Object.entries(r.alternatives ?? {}).map(([type, example]) => [type, { schema: {}, example }])),
          },
        }),
  };
  const out: Record<string, JsonSchema> = { [String(r.status)]: success };
  for (const [status, description] of Object.entries(route.errors)) {
    out[status] = { description, content: { "application/json": { schema: ref("Error") } } };
  }
  return out;
}

function operation(route: RouteDoc, schemas: Record<string, JsonSchema>): Operation {
  const listed = (route.parameters ?? []).map(parameter);
  const parameters = [
    ...listed.filter((p) => p.in === "path"),
    ...(route.query ? queryParameters(route.query.schema, route.query.description) : []),
    ...listed.filter((p) => p.in !== "path"),
  ];
  return {
    operationId: route.id,
    tags: [route.tag],
    summary: route.summary,
    description: `${route.description}\n\nAuth: ${describeAuth(route)}`,
    security: SECURITY[route.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route, schemas) } : {}),
    responses: responses(route),
    "x-auth": route.auth,
    ...(route.sameOrigin ? { "x-same-origin": true as const } : {}),
  };
}

export function buildOpenApiDocument(options: { serverUrl?: string; routes?: RouteDoc[] } = {}): OpenApiDocument {
  const routes = options.routes ?? ROUTES;
  const schemas: Record<string, JsonSchema> = {
    Error: toJsonSchema(ErrorBody, "output"),
    TokenResponse: toJsonSchema(TokenResponseBody, "output"),
  };
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) throw new Error(`OpenAPI registry: ${route.method.toUpperCase()} ${route.path} is listed twice`);
    item[route.method] = operation(route, schemas);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Swubase Link API",
      version: "1",
      description:
        "Account linking between Swubase and partners (Karabast, standard OAuth 2.0 clients), game results and statistics. " +
        "Every error is JSON `{error, error_description}`; unknown /api paths answer 404. " +
        "Partner calls accept the deployed Karabast client's snake_case, the workflow document's camelCase and OAuth names alike.",
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
    "x-undocumented": UNDOCUMENTED,
  };
}
