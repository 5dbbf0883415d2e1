/**
 * A limit on how deeply a JSON body may nest, checked right after JSON.parse (V8's parser is
 * iterative) and before anything recursive (zod, JSON.stringify, the database driver) touches
 * the value: `metadata` nested 5,000 deep overflowed the stack there (a 500). The walk itself
 * keeps its own stack. The body is level 1, `{"metadata":{}}` has two levels.
 */
import { badRequest } from "../../domain/errors.js";

export const MAX_JSON_DEPTH = 32;

interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

/** Throws 400 invalid_request naming the path where `value` nests deeper than `maxDepth` levels. */
export function assertJsonDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  if (value === null || typeof value !== "object") return;
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: "" }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > maxDepth) throw badRequest(`${pathOf(frame)} is nested too deeply (at most ${maxDepth} levels)`);
    const parent = frame;
    const visit = (child: unknown, key: string | number) => {
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: parent.depth + 1, parent, key });
    };
    if (Array.isArray(parent.value)) parent.value.forEach(visit);
    else for (const key in parent.value) visit((parent.value as Record<string, unknown>)[key], key);
  }
}

const MAX_PATH_CHARS = 120;

/** `metadata.a.b[3]["odd key"]`, cut after 120 characters. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f?.parent; f = f.parent) keys.push(f.key);
  const path = keys
    .reverse()
    .map((k, i) => (typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? "." : ""}${k}` : `[${JSON.stringify(k.slice(0, 40))}]`))
    .join("");
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
}
