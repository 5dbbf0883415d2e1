/**
 * Runs one endpoint's arbitrary through fast-check in batches and judges every answer:
 * never a 5xx or a hang; on our endpoints every 4xx is `application/json` with
 * `{error: string, error_description: string}`; a rejected request writes nothing (row triggers
 * name the request that wrote, so fast-check can shrink it), and across each batch with no
 * accepted request the digest of all rows is unchanged.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { describeRequest, type SentRequest, type World, type Write } from "./harness.js";

export interface EndpointSpec<T> {
  name: string;
  /** "ours": the full contract; "redirect": ours, and a 302 is the success answer; "better-auth": only never 5xx and no writes on rejection. */
  kind: "ours" | "redirect" | "better-auth";
  /** Safe methods: no write at all, accepted or not. */
  readOnly?: boolean;
  /** A success answer's content type, when not only JSON (e.g. the CSV export). */
  successType?: RegExp;
  arb: fc.Arbitrary<T>;
  build(c: T, w: World): SentRequest;
}

export interface Outcome {
  req: SentRequest;
  status: number | "timeout";
  contentType: string;
  text: string;
  writes: Write[];
  /** Error lines the server logged while answering (the cause of a 5xx). */
  serverLog: string[];
}

/**
 * A bug we know about and have reported: cases it explains are counted, not failed, so the
 * suite stays green until the fix lands. Each entry is marked `// KNOWN BUG:` where declared.
 */
export interface KnownBug {
  id: string;
  matches(endpoint: string, o: Outcome): boolean;
}

export interface EndpointReport {
  name: string;
  cases: number;
  ms: number;
  statuses: Record<string, number>;
  digestChecks: number;
  knownBugHits: Record<string, number>;
}

/** Everything wrong with one answer (empty: fine). */
export function judge(spec: Pick<EndpointSpec<unknown>, "kind" | "readOnly" | "successType">, o: Outcome): string[] {
  const problems: string[] = [];
  if (o.status === "timeout") return ["no answer within 15 s (hang)"];
  if (o.status >= 500) problems.push(`answered ${o.status}`);
  if (spec.kind !== "better-auth") {
    const isJson = /^application\/json\b/i.test(o.contentType);
    if (o.status >= 400) {
      if (!isJson) problems.push(`error with content-type ${JSON.stringify(o.contentType)}, not JSON`);
      let body: unknown;
      try {
        body = JSON.parse(o.text);
      } catch {
        problems.push("error body is not JSON");
      }
      const b = body as { error?: unknown; error_description?: unknown } | null;
      if (body !== undefined && (typeof b !== "object" || b === null || typeof b.error !== "string" || typeof b.error_description !== "string"))
        problems.push("error body is not {error: string, error_description: string}");
    } else if (o.status >= 300 && (spec.kind !== "redirect" || o.status !== 302)) problems.push(`unexpected redirect ${o.status}`);
    else if (o.status < 300 && !isJson && !spec.successType?.test(o.contentType)) problems.push(`success with content-type ${JSON.stringify(o.contentType)}, not JSON`);
  }
  const writes = relevantWrites(spec, o.writes);
  if (o.status >= 400 && writes.length) problems.push(`rejected with ${o.status}, yet it wrote: ${summarise(writes)}`);
  else if (spec.readOnly && writes.length) problems.push(`a read-only request wrote: ${summarise(writes)}`);
  return problems;
}

/**
 * Writes a rejected request makes by design, which the properties ignore: rate-limit counters,
 * audit-log events (inserts only: a failed client authentication or a rejected token is an
 * event worth recording), and better-auth's own session rows on its endpoints.
 */
const TABLES_OUTSIDE_THE_DIGEST = ["rate_limit", "link_event"];
const allowed = (spec: Pick<EndpointSpec<unknown>, "kind">, w: Write) =>
  w.tbl === "rate_limit" || (w.tbl === "link_event" && w.op === "INSERT") || (spec.kind === "better-auth" && w.tbl === "session");
export const relevantWrites = (spec: Pick<EndpointSpec<unknown>, "kind">, writes: Write[]) => writes.filter((w) => !allowed(spec, w));
const summarise = (writes: Write[]) => [...new Set(writes.map((w) => `${w.op} ${w.tbl}`))].join(", ");

const BATCH = 250;

/** Sends one request and collects everything the properties judge. */
export async function exercise(w: World, req: SentRequest): Promise<Outcome> {
  const logMark = w.t.logs.length;
  const res = await w.send(req);
  const o: Outcome = { req, status: res === "timeout" ? "timeout" : res.status, contentType: "", text: "", writes: [], serverLog: [] };
  if (res !== "timeout") {
    o.contentType = res.headers.get("content-type") ?? "";
    o.text = await res.text();
  }
  o.writes = await w.takeWrites();
  o.serverLog = w.errorLogsSince(logMark);
  return o;
}

export async function fuzzEndpoint<T>(w: World, spec: EndpointSpec<T>, options: { runs: number; seed: number; knownBugs: KnownBug[]; progress?: boolean }): Promise<EndpointReport> {
  const report: EndpointReport = { name: spec.name, cases: 0, ms: 0, statuses: {}, digestChecks: 0, knownBugHits: {} };
  const exclude = spec.kind === "better-auth" ? [...TABLES_OUTSIDE_THE_DIGEST, "session"] : TABLES_OUTSIDE_THE_DIGEST;
  const started = performance.now();
  // Endpoints that share an arbitrary (the stats routes) still get different cases.
  const seed = [...spec.name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, options.seed);
  for (let done = 0, batch = 0; done < options.runs; batch++) {
    const n = Math.min(BATCH, options.runs - done);
    const before = await w.digest(exclude);
    let dirty = false;
    await fc.assert(
      fc.asyncProperty(spec.arb, async (c) => {
        const o = await exercise(w, spec.build(c, w));
        report.cases++;
        report.statuses[String(o.status)] = (report.statuses[String(o.status)] ?? 0) + 1;
        if (relevantWrites(spec, o.writes).length) {
          dirty = true;
          await w.resync();
        }
        const problems = judge(spec, o);
        if (problems.length === 0) return;
        const known = options.knownBugs.find((k) => k.matches(spec.name, o));
        if (known) {
          report.knownBugHits[known.id] = (report.knownBugHits[known.id] ?? 0) + 1;
          return;
        }
        const logged = o.serverLog.map((l) => l.slice(0, 1000));
        throw new Error(`${problems.join("; ")}\n${describeRequest(o.req)}\nanswer: ${o.status} ${o.contentType} ${o.text.slice(0, 500)}${logged.length ? `\nserver log: ${logged.join("\n")}` : ""}`);
      }),
      { numRuns: n, seed: seed + batch },
    );
    if (!dirty) {
      expect(await w.digest(exclude), `${spec.name}: a batch of rejected requests changed the database`).toBe(before);
      report.digestChecks++;
    }
    done += n;
    if (options.progress) console.log(`[fuzz] ${spec.name}: ${done}/${options.runs} cases, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
