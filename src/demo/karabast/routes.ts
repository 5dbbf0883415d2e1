/**
 * A stand-in for Karabast that behaves as the contract's deployed client (section B), built on
 * the partner client library (src/client): the approval URL comes from `buildApprovalUrl`, the
 * callback is checked by `handleCallback`, and link-confirm, refresh-token, game-result and
 * unlink go through `SwubaseClient` (snake_case JSON, any non-2xx is a failure). Access tokens
 * come from an `AccessTokenCache` over an in-memory store, like Karabast's per-server cache.
 * Development only; never mounted in production.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import { AccessTokenCache, buildApprovalUrl, handleCallback, SwubaseClient, SwubaseLinkError, type GameResultData } from "../../client/index.js";
import type { AppEnv } from "../../server/app-env.js";
import { requireSameOrigin } from "../../server/middleware/same-origin.js";
import type { DemoClient } from "./demo-client.js";
import { DEMO_SCOPES } from "./demo-client.js";
import { MemoryTokenStore } from "./memory-store.js";
import { demoHomePage, layout } from "./pages.js";
import sampleGame from "./sample-game.json" with { type: "json" };

/** What the demo shows besides the tokens themselves. */
interface LinkInfo {
  linkedAt: Date;
  refreshedAt: Date | null;
  lastGame: string | null;
}

type DemoEnv = { Variables: AppEnv["Variables"] & { demoUser: string } };

const USER_COOKIE = "kb_demo_user";
const NOTICE_COOKIE = "kb_demo_notice";

export function demoKarabastRoutes(options: { demo: DemoClient; fetchApi: (req: Request) => Promise<Response>; publicUrl: string }) {
  const { demo, fetchApi, publicUrl } = options;
  const client = new SwubaseClient({
    swubaseUrl: publicUrl,
    clientId: demo.clientId,
    clientSecret: demo.secret,
    fetch: (input, init) => fetchApi(new Request(input, init)),
  });
  const store = new MemoryTokenStore();
  const tokens = new AccessTokenCache({ client, store });
  const links = new Map<string, LinkInfo>();

  async function unlinkLocally(id: string) {
    links.delete(id);
    await tokens.forget(id);
  }

  function view(id: string) {
    const info = links.get(id);
    const stored = store.peek(id);
    if (!info || !stored) return null;
    return { ...info, accessExpiresAt: new Date(stored.accessTokenExpiresAt ?? 0), scope: stored.scope ?? "" };
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
      const id = c.get("demoUser");
      const notice = getCookie(c, NOTICE_COOKIE) ?? null;
      if (notice) setCookie(c, NOTICE_COOKIE, "", { path: "/demo", maxAge: 0 });
      // Relative to this origin, so it also works behind the Vite dev server.
      const connectUrl = buildApprovalUrl({ swubaseUrl: "", clientId: demo.clientId, redirectUri: demo.redirectUri, scopes: DEMO_SCOPES, karabastUserId: id });
      return c.html(demoHomePage({ karabastUserId: id, connectUrl, notice, link: view(id) }));
    })
    .get("/callback", async (c) => {
      const id = c.get("demoUser");
      const fail = (message: string) =>
        c.html(layout("Link failed", html`<div class="card"><h1>Link failed</h1><p>${message}</p><a class="btn" href="/demo/karabast">Back</a></div>`), 400);
      let linkToken: string;
      try {
        ({ linkToken } = handleCallback(c.req.url, { expectedKarabastUserId: id }));
      } catch (err) {
        if (err instanceof SwubaseLinkError) return fail(err.message);
        throw err;
      }
      try {
        await tokens.seed(id, await client.confirmLink({ linkToken, karabastUserId: id }));
      } catch (err) {
        return fail(`link-confirm failed${failure(err)}`);
      }
      links.set(id, { linkedAt: new Date(), refreshedAt: null, lastGame: null });
      return flash(c, "Linked to Swubase.");
    })
    .post("/refresh", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.get("demoUser");
      const info = links.get(id);
      if (!info) return flash(c, "Not linked.");
      try {
        await tokens.forceRefresh(id);
      } catch (err) {
        // Karabast treats a failed refresh as "unlinked until they link again".
        await unlinkLocally(id);
        return flash(c, `Refresh failed${failure(err)}. You are no longer linked.`);
      }
      info.refreshedAt = new Date();
      return flash(c, "Tokens refreshed.");
    })
    .post("/report-game", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.get("demoUser");
      const info = links.get(id);
      if (!info) return flash(c, "Not linked.");
      let accessToken: string;
      try {
        accessToken = await tokens.getAccessToken(id);
      } catch (err) {
        await unlinkLocally(id);
        return flash(c, `Refresh failed${failure(err)}. You are no longer linked.`);
      }
      const game = sampleGameFor(id, accessToken);
      try {
        await client.reportGameResult(game);
      } catch (err) {
        info.lastGame = `failed${err instanceof SwubaseLinkError && err.status ? ` (${err.status})` : ""}`;
        return flash(c, `Game report failed${failure(err)}`);
      }
      info.lastGame = `${game.gameId} (stored)`;
      return flash(c, "Sample game reported: see your Swubase stats.");
    })
    .post("/unlink", requireSameOrigin<DemoEnv>(), async (c) => {
      const id = c.get("demoUser");
      let message = "Unlinked.";
      try {
        await client.unlink({ karabastUserId: id });
      } catch (err) {
        message = `Unlink failed${failure(err)}`;
      }
      await unlinkLocally(id);
      return flash(c, message);
    })
    .post("/new-user", requireSameOrigin<DemoEnv>(), (c) => {
      setCookie(c, USER_COOKIE, `kb-${randomBytes(6).toString("hex")}`, { httpOnly: true, sameSite: "Lax", path: "/demo" });
      return c.redirect("/demo/karabast", 303);
    });
}

/** The bundled sample game, made new and played by `id` (linked) against an unlinked opponent. */
function sampleGameFor(id: string, accessToken: string): GameResultData {
  const game = structuredClone(sampleGame) as unknown as GameResultData; // a trusted fixture in the contract's shape
  const now = Date.now();
  game.gameId = `demo-${randomBytes(8).toString("hex")}`;
  game.lobbyId = `demo-lobby-${randomBytes(4).toString("hex")}`;
  game.startedAt = new Date(now - 25 * 60_000).toISOString();
  game.finishedAt = new Date(now).toISOString();
  const [me, opponent] = game.players;
  if (!me || !opponent) throw new Error("sample-game.json must have two players");
  me.data.id = id;
  me.data.accessToken = accessToken;
  opponent.data.id = `kb-opponent-${randomBytes(3).toString("hex")}`;
  opponent.data.accessToken = null;
  return game;
}

/** ` (status): body` of a Swubase answer, or `: message` when there was none. */
function failure(err: unknown): string {
  if (err instanceof SwubaseLinkError && err.status !== undefined) return ` (${err.status}): ${err.body ?? err.message}`;
  return `: ${err instanceof Error ? err.message : String(err)}`;
}

function flash(c: Context<DemoEnv>, message: string) {
  setCookie(c, NOTICE_COOKIE, message.slice(0, 500), { httpOnly: true, sameSite: "Lax", path: "/demo" });
  return c.redirect("/demo/karabast", 303);
}
