/** Joins Swubase's base URL (which may carry a path prefix) and an absolute path. */
export function swubaseEndpoint(swubaseUrl: string | URL, path: string): string {
  return `${String(swubaseUrl).replace(/\/+$/, "")}${path}`;
}
