import type { Response } from 'express';
import { cspHash } from '../crypto/csp-hash.js';

/**
 * The documents a refused embed URL gets, for page embeds and user dashboards alike.
 *
 * Neither is the embed client: they load no bundle and run nothing that reads the credential, so
 * a token that is valid elsewhere renders nothing here, whatever the URL around it (a slug in
 * another case, another page's id, a trailing dot). Each is one constant: every refused credential
 * (bad, expired, revoked, for another page or workspace) gets the same bytes and headers, so
 * nothing tells the reasons apart.
 *
 * The one script applies `?theme=` (light unless it says dark or auto, as in the embed client),
 * reports the height, and for a refused credential tells the framing page `porthole:unavailable`
 * (what the embed client says when it is refused; the loader turns it into a DOM event). The
 * messages carry no data, so they go to any parent (`'*'`): anyone who can frame the URL can fetch it.
 */
const STYLE =
  ':root{--bg:#fff;--fg:#1b2230;color-scheme:light}' +
  ":root[data-theme='dark']{--bg:#11151c;--fg:#e7ebf2;color-scheme:dark}" +
  "@media (prefers-color-scheme:dark){:root[data-theme='auto']{--bg:#11151c;--fg:#e7ebf2;color-scheme:dark}}" +
  'html,body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif}' +
  '#app{padding:1rem}[role=status]{display:grid;place-items:center;padding:2.5rem 1rem;text-align:center}p{margin:0}';

/**
 * The same bytes for every refusal; in the browser, a URL that carries its token under the other
 * embed's parameter (`t=` on a dashboard, `token=` on a page embed) says so in the frame's console,
 * for the engineer wiring it: the URL is the integrator's own, so this tells nobody anything new.
 */
const MISNAMED_TOKEN =
  "var q=new URLSearchParams(location.search),d=location.pathname==='/dashboard.html';" +
  "if(d?q.has('t')&&!q.has('token'):q.has('token')&&!q.has('t'))console.warn('Porthole: this '+(d?" +
  "'dashboard URL has t= but takes its token as token= (t= is for page embeds).':" +
  "'page embed URL has token= but takes its token as t= (token= is for user dashboards).'));";

const scriptFor = (unavailable: boolean): string =>
  "var t=new URLSearchParams(location.search).get('theme');" +
  "if(t==='dark'||t==='auto')document.documentElement.dataset.theme=t;" +
  (unavailable ? MISNAMED_TOKEN : '') +
  'if(parent!==window){' +
  "parent.postMessage({v:1,type:'porthole:resize',height:Math.ceil(document.getElementById('app').getBoundingClientRect().height)},'*');" +
  (unavailable ? "parent.postMessage({v:1,type:'porthole:unavailable'},'*')" : '') +
  '}';

interface RefusalDocument {
  html: string;
  csp: string;
}

/**
 * Nothing but the page's own two inline elements may run or apply. `frame-ancestors *`: a refused
 * URL's credential names no origins anyone may trust, and the page shows nothing worth protecting,
 * so the host that framed it sees the message rather than a blocked frame.
 */
function refusalDocument(message: string, unavailable: boolean): RefusalDocument {
  const script = scriptFor(unavailable);
  const html =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n' +
    `<title>Porthole embed</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `<main id="app"><div role="status"><p>${message}</p></div></main>\n` +
    `<script>${script}</script>\n</body>\n</html>\n`;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(STYLE)}`,
    'frame-ancestors *',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return { html, csp };
}

/** A refused credential: the embed client's own words for it. */
const UNAVAILABLE = refusalDocument('This embed is unavailable.', true);
/** Too many failed attempts from this address: transient, so the host is not told "unavailable". */
const RATE_LIMITED = refusalDocument('This embed could not be loaded right now. Try again shortly.', false);

/** The refusal document's bytes for a refused credential (tests compare answers with it). */
export const REFUSAL_HTML = UNAVAILABLE.html;

/** Sends the refusal document for `code` with its status and the error table's headers for it. */
export function sendRefusal(res: Response, code: 'EMBED_UNAVAILABLE' | 'RATE_LIMITED', status: number, headers: Record<string, string>): void {
  const page = code === 'RATE_LIMITED' ? RATE_LIMITED : UNAVAILABLE;
  res
    .status(status)
    .set({
      'Content-Security-Policy': page.csp,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // As every embed document: framable by host pages that require COEP.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      ...headers,
    })
    .type('html')
    .send(page.html);
}
