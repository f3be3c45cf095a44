import { Router } from 'express';
import { cspHash } from '../crypto/csp-hash.js';
import type { DemoWorkspace } from './seed.js';

/** The host page's own script: the range buttons, and the events the embed sends back. */
const HOST_SCRIPT = `
  const ranged = document.getElementById('ranged');
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => ranged.dispatchEvent(new CustomEvent('porthole:set-range', { detail: { range: { preset: button.dataset.preset } } })));
  }
  const show = (event) => { document.getElementById('range-shown').textContent = (event.detail.range.preset || 'custom') + ' in ' + event.detail.timezone; };
  ranged.addEventListener('porthole:ready', show);
  ranged.addEventListener('porthole:range-changed', show);
`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * `/demo/host.html`: a stand-in for a customer's site, with the demo page embed and one
 * user dashboard embedded both ways (a pasted iframe and the script loader), so a newcomer
 * sees every embed working in a browser at once.
 */
export function demoHostPage(demo: DemoWorkspace, publicUrl: string): string {
  const pageUrl = escapeHtml(demo.pageEmbedUrl);
  const user = demo.users[0]!;
  const dashboardUrl = escapeHtml(`${publicUrl}/dashboard.html?token=${user.embedToken}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Porthole demo host page</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 24px; color: #1f2328; background: #f6f8fa; }
  h1 { margin-top: 0; } section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 16px; margin: 16px 0; }
  code { background: #eff1f3; padding: 2px 4px; border-radius: 4px; font-size: 0.9em; word-break: break-all; }
</style>
</head>
<body>
<h1>Acme Partner Portal <small>(a demo host page)</small></h1>
<p>Everything below is embedded from Porthole at <code>${escapeHtml(publicUrl)}</code>, exactly as a customer's site would embed it.</p>

<section>
  <h2>Page embed, pasted as an iframe</h2>
  <iframe src="${pageUrl}" style="width:100%;border:0;height:1150px" loading="lazy" title="Support overview"></iframe>
</section>

<section>
  <h2>Page embed, through <code>embed.js</code>, with the host page choosing the range</h2>
  <p>
    These buttons send <code>porthole:set-range</code> through the loader; the embed answers with
    <code>porthole:range-changed</code>: <output id="range-shown">…</output>.
    The viewer's zone is set with <code>data-tz</code>.
  </p>
  <p>
    <button type="button" data-preset="TODAY">Today</button>
    <button type="button" data-preset="LAST_7_DAYS">Last 7 days</button>
    <button type="button" data-preset="LAST_30_DAYS">Last 30 days</button>
  </p>
  <div id="ranged" data-porthole data-page-url="${pageUrl}" data-theme="dark" data-tz="America/New_York"></div>
</section>

<section>
  <h2>User dashboard for <code>${escapeHtml(user.externalId)}</code>, as an iframe</h2>
  <iframe src="${dashboardUrl}" style="width:100%;border:0;height:640px" loading="lazy" title="Dashboard"></iframe>
</section>

<section>
  <h2>User dashboard through <code>embed.js</code></h2>
  <div id="porthole" data-token="${escapeHtml(user.embedToken)}" data-api-url="${escapeHtml(publicUrl)}"></div>
</section>

<script src="${escapeHtml(publicUrl)}/embed.js" async></script>
<script>${HOST_SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The demo host page's headers: it runs the loader from Porthole and its one inline script (by
 * hash), frames only Porthole, and is framed by nobody. Styles are inline, as a customer's might be.
 */
function demoHostHeaders(publicUrl: string): Record<string, string> {
  const porthole = new URL(publicUrl).origin;
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src ${porthole}/embed.js ${cspHash(HOST_SCRIPT)}`,
      "style-src 'unsafe-inline'",
      `frame-src ${porthole}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** `GET /demo/host.html`, with its headers: the only way the demo host page is served. */
export function demoHostRoutes(demo: DemoWorkspace, publicUrl: string): Router {
  const html = demoHostPage(demo, publicUrl);
  const headers = demoHostHeaders(publicUrl);
  return Router().get('/demo/host.html', (_req, res) => void res.set(headers).type('html').send(html));
}
