/**
 * Every rate object in a statistics answer (one with `winRate`) carries `winRateInterval`, the
 * Wilson interval of its own wins out of its games (matches for the matches summary). Checks that
 * everywhere in a body and removes the field, so a suite's exact expectations stay about counts.
 */
import { expect } from "vitest";
import { wilsonInterval } from "../../src/domain/stats/wilson.js";
import type { TestApp } from "./test-app.js";

function checkAndStripIntervals(body: unknown, path = "$"): void {
  if (Array.isArray(body)) {
    body.forEach((item, i) => checkAndStripIntervals(item, `${path}[${i}]`));
    return;
  }
  if (body === null || typeof body !== "object") return;
  const o = body as Record<string, unknown>;
  if ("winRate" in o) {
    const n = (o.games ?? o.matches) as number;
    expect(o.winRateInterval, `${path}.winRateInterval`).toEqual(wilsonInterval(o.wins as number, typeof n === "number" ? n : 0));
    delete o.winRateInterval;
  }
  for (const [key, value] of Object.entries(o)) checkAndStripIntervals(value, `${path}.${key}`);
}

/** GET /api/stats/{path} as the user of `cookie`: expects 200, checks and strips the intervals (checkAndStripIntervals), returns the body. */
export async function getStats(t: TestApp, path: string, cookie: string): Promise<Record<string, unknown>> {
  const res = await t.app.request(`/api/stats/${path}`, { headers: { cookie } });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  const body = (await res.json()) as Record<string, unknown>;
  checkAndStripIntervals(body);
  return body;
}
