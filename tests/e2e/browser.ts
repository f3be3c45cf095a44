import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { repoRoot } from '../../server/src/paths.js';

/** Where the e2e tests leave screenshots (ignored by git). */
export const SCREENSHOT_DIR = join(repoRoot(), 'test-output', 'screenshots');

/** Fails fast, with the fix, when the client has not been built. */
export function requireBuiltClient(): void {
  const page = join(repoRoot(), 'dist', 'client', 'embed-page.html');
  if (!existsSync(page) || !existsSync(join(repoRoot(), 'dist', 'client', 'embed.js'))) {
    throw new Error('The client is not built: run `npm run build:client` before the e2e tests.');
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}

/** Debian's Chromium, headless, without the background traffic this machine's closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    timeout: 20_000,
  });
}

/**
 * Ends what a browser test started, in order: its contexts, the browser, then its servers (the host site, the
 * Porthole server). Each may be unset when the start failed part-way.
 */
export async function closeBrowserTest(
  contexts: readonly BrowserContext[],
  browser: Browser | undefined,
  ...servers: Array<{ close(): Promise<void> } | undefined>
): Promise<void> {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await browser?.close();
  for (const server of servers) await server?.close();
}

export interface HostSite {
  /** `http://127.0.0.1:<port>`: never the Porthole server's origin (that one is `localhost`). */
  origin: string;
  /** Serves `html` at `path` (with extra response headers) and returns its URL. */
  page(path: string, html: string, headers?: Record<string, string>): string;
  close(): Promise<void>;
}

/** A third-party site: a tiny HTTP server on 127.0.0.1 that serves the host pages a test writes. */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, { html: string; headers: Record<string, string> }>();
  const server: Server = createServer((req, res) => {
    const page = pages.get(new URL(req.url ?? '/', 'http://host').pathname);
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        ...page.headers,
      })
      .end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html, headers = {}) {
      pages.set(path, { html, headers });
      return `${origin}${path}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A host page around some embed markup; it records the messages and DOM events Porthole sends it. */
export function hostHtml(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px system-ui,sans-serif;margin:0;padding:16px;background:#eceff4}header{padding:8px 0 12px;color:#333}
.slot{max-width:760px;background:#fff;border-radius:8px}</style></head>
<body><header>${title} — a host page on another origin</header>${body}
<script>
  window.portholeMessages = [];
  window.portholeEvents = [];
  addEventListener('message', (event) => window.portholeMessages.push({ origin: event.origin, data: event.data }));
  for (const type of ['porthole:ready', 'porthole:unavailable', 'porthole:expired']) {
    document.addEventListener(type, (event) => window.portholeEvents.push({ type, target: event.target.id || event.target.dataset.name }));
  }
</script></body></html>`;
}

/** The frame whose URL contains `fragment`, once it exists. */
export async function frameOf(page: Page, fragment: string, timeout = 10_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((candidate) => candidate.url().includes(fragment));
    if (frame) return frame;
    if (Date.now() > deadline)
      throw new Error(
        `No frame with ${fragment}; frames: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    await page.waitForTimeout(50);
  }
}

/** The big figure of the NUMBER widget titled `title`, as the viewer reads it. */
export async function figure(frame: Frame, title: string, timeout = 10_000): Promise<string> {
  const card = frame.locator('section[data-kind="NUMBER"]').filter({ has: frame.getByRole('heading', { name: title, exact: true }) });
  return (await card.getByTestId('number-value').first().innerText({ timeout })).trim();
}
