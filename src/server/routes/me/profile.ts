/**
 * The signed-in user's public profile: GET /api/me/profile, and PATCH /api/me/profile (same
 * origin) with any of `handle`, `publicStats`, `metaOptOut`; `"handle": null` clears the handle.
 * A bad field is a 400 naming it; a handle another user holds (in any case) is 409.
 */
import { Hono } from "hono";
import { z } from "zod";
import { handleProblem } from "../../../domain/profile/handle.js";
import type { AppEnv } from "../../app-env.js";
import { noStore } from "../../middleware/no-store.js";
import { readBody } from "../../middleware/read-body.js";
import { requireSameOrigin } from "../../middleware/same-origin.js";
import { requireUser } from "../../middleware/session.js";
import { parseFields } from "../../schemas/integration-fields.js";

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` }).optional();

export const ProfileUpdateRequest = z
  .object({
    handle: z
      .string({ error: "handle must be a string, or null to clear it" })
      .trim()
      .check((ctx) => {
        const problem = handleProblem(ctx.value);
        if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
      })
      .nullable()
      .optional(),
    publicStats: flag("publicStats"),
    metaOptOut: flag("metaOptOut"),
  })
  .refine((b) => b.handle !== undefined || b.publicStats !== undefined || b.metaOptOut !== undefined, "Send at least one of handle, publicStats and metaOptOut");

export const meProfileRoute = new Hono<AppEnv>()
  .get("/profile", noStore(), requireUser(), async (c) => c.json(await c.get("deps").services.profiles.get(c.get("user").id)))
  .patch("/profile", noStore(), requireSameOrigin(), requireUser(), readBody({ nullable: ["handle"] }), async (c) => {
    const change = parseFields(ProfileUpdateRequest, c.get("fields"));
    return c.json(await c.get("deps").services.profiles.update(c.get("user").id, change));
  });
