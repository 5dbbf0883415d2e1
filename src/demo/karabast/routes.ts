/**
 * A stand-in for Karabast that behaves as the contract's deployed client (section B): it builds
 * the approval URL with URLSearchParams, its callback reads `link_token` and `karabast_user_id`,
 * and it calls link-confirm, refresh-token, game-result and unlink with snake_case JSON,
 * treating any non-2xx as failure. Development only; never mounted in production.
 * It keeps its tokens in this process's memory, like Karabast's per-server cache.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { AppEnv } from "../../server/app-env.js";
import { requireSameOrigin } from "../../server/middleware/same-origin.js";
import type { DemoClient } from "./demo-client.js";
import { DEMO_SCOPES } from "./demo-client.js";
import { demoHomePage, layout } from "./pages.js";
import sampleGame from "./sample-game.json" with { type: "json" };

interface LinkState {
  accessToken: string;
  refreshToken: string;
  scope: string;
  linkedAt: Date;
  accessExpiresAt: Date;
  refreshedAt: Date | null;
  lastGame: string | null;
}

type DemoEnv = { Variables: AppEnv["Variables"] & { demoUser: string } };

const USER_COOKIE = "kb_demo_user";
const NOTICE_COOKIE = "kb_demo_notice";

export function demoKarabastRoutes(options: { demo: DemoClient; fetchApi: (req: Request) => Promise<Response>; publicUrl: string }) {
  const { demo, fetchApi, publicUrl } = options;
  const links = new Map<string, LinkState>();

  async function callSwubase(path: string, body: Record<string, unknown>) {
    const res = await fetchApi(
      new Request(`${publicUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    );
    const text = await res.text();
    return { ok: res.ok, status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  }

  const credentials = () => ({ integration: "karabast", client_id: demo.clientId, client_secret: demo.secret });

  function storeTokens(id: string, body: Record<string, unknown>, previous?: LinkState) {
    const now = new Date();
    links.set(id, {
      accessToken: String(body.access_token),
      refreshToken: String(body.refresh_token),
      scope: String(body.scope ?? ""),
      linkedAt: previous?.linkedAt ?? now,
      accessExpiresAt: new Date(now.getTime() + Number(body.expires_in) * 1000),
      refreshedAt: previous ? now : null,
      lastGame: previous?.lastGame ?? null,
    });
  }

  return new Hono<DemoEnv>()
    .use("*", async function demoUser(c, next) {
      let id = getCookie(c, USER_COOKIE);
      if (!id || !/^kb-[0-9a-f]{12}$/.test(id)) {
        id = `kb-${randomBytes(6).toString("hex")}`;
        setCookie(c, USER_COOKIE, id, { httpOnly: true, sameSite: "Lax", path: "/demo" });
      }
      c.set("demoUser", id);
      await next();
    })
    .get("/", (c) => {
      const id = c.var.demoUser;
      const notice = getCookie(c, NOTICE_COOKIE) ?? null;
      if (notice) setCookie(c, NOTICE_COOKIE, "", { path: "/demo", maxAge: 0 });
      const connect = new URLSearchParams({
        response_type: "code",
        client_id: demo.clientId,
        redirect_uri: demo.redirectUri,
        scope: DEMO_SCOPES.join(" "),
        karabast_user_id: id,
      });
      return c.html(
        demoHomePage({ karabastUserId: id, connectUrl: `/settings/link/karabast?${connect}`, notice, link: links.get(id) ?? null }),
      );
    })
    .get("/callback", async (c) => {
      const id = c.var.demoUser;
      const fail = (message: string) =>
        c.html(layout("Link failed", html`<div class="card"><h1>Link failed</h1><p>${message}</p><a class="btn" href="/demo/karabast">Back</a></div>`), 400);
      const error = c.req.query("error");
      if (error) return fail(`Swubase answered: ${error}${c.req.query("error_description") ? ` (${c.req.query("error_description")})` : ""}`);
      const linkToken = c.req.query("link_token");
      const karabastUserId = c.req.query("karabast_user_id");
      if (!linkToken) return fail("No link_token in the callback.");
      if (karabastUserId !== id) return fail("The link was approved for a different Karabast user.");
      const res = await callSwubase("/api/integration/link-confirm", { ...credentials(), link_token: linkToken, external_user_id: id });
      if (!res.ok) return fail(`link-confirm failed (${res.status}): ${res.text}`);
      storeTokens(id, res.json());
      return flash(c, "Linked to Swubase.");
    })
    .post("/refresh", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.var.demoUser;
      const state = links.get(id);
      if (!state) return flash(c, "Not linked.");
      const res = await callSwubase("/api/integration/refresh-token", { ...credentials(), external_user_id: id, refresh_token: state.refreshToken });
      if (!res.ok) {
        // Karabast treats a failed refresh as "unlinked until they link again".
        links.delete(id);
        return flash(c, `Refresh failed (${res.status}): ${res.text}. You are no longer linked.`);
      }
      storeTokens(id, res.json(), state);
      return flash(c, "Tokens refreshed.");
    })
    .post("/report-game", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.var.demoUser;
      const state = links.get(id);
      if (!state) return flash(c, "Not linked.");
      const game = structuredClone(sampleGame) as typeof sampleGame;
      const now = Date.now();
      game.gameId = `demo-${randomBytes(8).toString("hex")}`;
      game.lobbyId = `demo-lobby-${randomBytes(4).toString("hex")}`;
      game.startedAt = new Date(now - 25 * 60_000).toISOString();
      game.finishedAt = new Date(now).toISOString();
      const [me, opponent] = game.players as unknown as [{ data: { id: string; accessToken: string | null } }, { data: { id: string; accessToken: string | null } }];
      me.data.id = id;
      me.data.accessToken = state.accessToken;
      opponent.data.id = `kb-opponent-${randomBytes(3).toString("hex")}`;
      opponent.data.accessToken = null;
      const res = await callSwubase("/api/integration/karabast/game-result", { ...credentials(), data: game });
      state.lastGame = res.ok ? `${game.gameId} (stored)` : `failed (${res.status})`;
      return flash(c, res.ok ? "Sample game reported: see your Swubase stats." : `Game report failed (${res.status}): ${res.text}`);
    })
    .post("/unlink", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.var.demoUser;
      const res = await callSwubase("/api/integration/unlink", { ...credentials(), external_user_id: id });
      links.delete(id);
      return flash(c, res.ok ? "Unlinked." : `Unlink failed (${res.status}): ${res.text}`);
    })
    .post("/new-user", requireSameOrigin<DemoEnv>(), (c) => {
      setCookie(c, USER_COOKIE, `kb-${randomBytes(6).toString("hex")}`, { httpOnly: true, sameSite: "Lax", path: "/demo" });
      return c.redirect("/demo/karabast", 303);
    });
}

function flash(c: Context<DemoEnv>, message: string) {
  setCookie(c, NOTICE_COOKIE, message.slice(0, 500), { httpOnly: true, sameSite: "Lax", path: "/demo" });
  return c.redirect("/demo/karabast", 303);
}
