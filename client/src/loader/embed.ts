/**
 * /embed.js — the script embed loader. Standalone (no imports, no globals), ≤ 2 KB gzip.
 *
 *   <div id="porthole" data-token="<user embed token>" data-api-url="https://porthole.example"></div>
 *   <div id="porthole" data-page-url="https://porthole.example/embed-page/acme/p1?t=…"></div>
 *   <script src="https://porthole.example/embed.js" async></script>
 *
 * Optional: data-theme="light|dark|auto", data-bordered, data-titled="false". Further containers may use
 * the `data-porthole` attribute instead of the id. Status messages are re-dispatched on the container as
 * DOM events of the same name (`porthole:ready`, `porthole:unavailable`, `porthole:expired`).
 */
const script = document.currentScript as HTMLScriptElement | null;
/** Where the loader itself came from: the default API origin when data-api-url is left out. */
const scriptOrigin = script ? new URL(script.src).origin : location.origin;

function frameUrl(container: HTMLElement): URL | null {
  const { pageUrl, token, apiUrl, theme } = container.dataset;
  let url: URL;
  if (pageUrl) {
    url = new URL(pageUrl, location.href);
  } else if (token) {
    url = new URL('/dashboard.html', apiUrl || scriptOrigin);
    url.searchParams.set('token', token);
  } else {
    return null;
  }
  if (theme) url.searchParams.set('theme', theme);
  for (const flag of ['bordered', 'titled'] as const) {
    const value = container.dataset[flag];
    if (value !== undefined) url.searchParams.set(flag, value || 'true');
  }
  // The embed is served with Referrer-Policy: no-referrer, so it learns its parent's origin from here.
  url.searchParams.set('origin', location.origin);
  return url;
}

function mount(container: HTMLElement): void {
  if (container.dataset.portholeMounted !== undefined) return;
  const url = frameUrl(container);
  if (!url) return;
  container.dataset.portholeMounted = '';

  const iframe = document.createElement('iframe');
  iframe.src = url.href;
  iframe.title = container.getAttribute('aria-label') || 'Porthole embed';
  iframe.setAttribute('style', 'width:100%;border:0;display:block;height:0');
  iframe.setAttribute('referrerpolicy', 'no-referrer');
  // No top navigation, no forms: the embed only needs its own scripts and its own origin's API.
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
  container.appendChild(iframe);

  const frameOrigin = url.origin;
  addEventListener('message', (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== frameOrigin) return;
    const data = event.data as { type?: unknown; height?: unknown } | null;
    if (!data || typeof data.type !== 'string' || !data.type.startsWith('porthole:')) return;
    if (data.type === 'porthole:resize') {
      if (typeof data.height === 'number' && Number.isFinite(data.height)) {
        iframe.style.height = `${Math.max(0, Math.ceil(data.height))}px`;
      }
      return;
    }
    container.dispatchEvent(new CustomEvent(data.type, { bubbles: true }));
  });
}

function mountAll(): void {
  document.querySelectorAll<HTMLElement>('#porthole, [data-porthole]').forEach(mount);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
else mountAll();
