/** Server-rendered pages of the demo partner (no scripts: forms and links only). */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = raw(`
  body { font-family: system-ui, sans-serif; background: #0b1020; color: #e5e7eb; margin: 0; }
  main { max-width: 640px; margin: 3rem auto; padding: 0 1rem; }
  .card { background: #151b2e; border: 1px solid #2a3350; border-radius: 12px; padding: 1.5rem; margin-bottom: 1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; } .muted { color: #9ca3af; font-size: .9rem; }
  .btn { display: inline-block; background: #f59e0b; color: #111827; border: 0; border-radius: 8px; padding: .6rem 1rem;
         font-weight: 600; text-decoration: none; cursor: pointer; font-size: .95rem; margin: .25rem .25rem 0 0; }
  .btn.secondary { background: #374151; color: #e5e7eb; } .btn.danger { background: #b91c1c; color: #fff; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; } dt { color: #9ca3af; } dd { margin: 0; word-break: break-all; }
  .notice { border-left: 4px solid #f59e0b; padding: .5rem .75rem; background: #1f2937; margin-bottom: 1rem; }
  form { display: inline; }
  a:focus-visible, button:focus-visible { outline: 2px solid #fbbf24; outline-offset: 2px; }
`);

export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface DemoView {
  karabastUserId: string;
  connectUrl: string;
  notice: string | null;
  link: null | { linkedAt: Date; accessExpiresAt: Date; scope: string; refreshedAt: Date | null; lastGame: string | null };
}

export function demoHomePage(v: DemoView): Html {
  const notice = v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : "";
  const linked = v.link
    ? html`<div class="card" data-testid="linked">
        <h1>Linked to Swubase ✔</h1>
        <dl>
          <dt>Linked at</dt><dd>${v.link.linkedAt.toISOString()}</dd>
          <dt>Access token expires</dt><dd data-testid="expires">${v.link.accessExpiresAt.toISOString()}</dd>
          <dt>Scopes</dt><dd>${v.link.scope}</dd>
          <dt>Last refresh</dt><dd data-testid="refreshed">${v.link.refreshedAt ? v.link.refreshedAt.toISOString() : "never"}</dd>
          <dt>Last game report</dt><dd>${v.link.lastGame ?? "none"}</dd>
        </dl>
        <form method="post" action="/demo/karabast/refresh"><button class="btn" type="submit">Refresh now</button></form>
        <form method="post" action="/demo/karabast/report-game"><button class="btn secondary" type="submit">Report a sample game</button></form>
        <form method="post" action="/demo/karabast/unlink"><button class="btn danger" type="submit">Unlink</button></form>
      </div>`
    : html`<div class="card" data-testid="not-linked">
        <h1>Not linked</h1>
        <p>Connect your Swubase account so your Karabast games show up in your Swubase statistics.</p>
        <a class="btn" href="${v.connectUrl}">Connect Swubase</a>
      </div>`;
  return layout(
    "Karabast (demo partner)",
    html`<p class="muted">Karabast demo partner · development only</p>
      ${notice}
      <div class="card">
        <dl><dt>Karabast user id</dt><dd data-testid="karabast-user-id">${v.karabastUserId}</dd></dl>
        <form method="post" action="/demo/karabast/new-user"><button class="btn secondary" type="submit">Be another Karabast user</button></form>
      </div>
      ${linked}
      <p class="muted"><a href="/" style="color:#93c5fd">Back to Swubase</a></p>`,
  );
}
