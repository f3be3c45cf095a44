/**
 * /embed.js — the script embed loader. Standalone (no imports, no globals), ≤ 2 KB gzip.
 *
 *   <div id="porthole" data-token="<user embed token>" data-api-url="https://porthole.example"></div>
 *   <div id="porthole" data-page-url="https://porthole.example/embed-page/acme/p1?t=…"></div>
 *   <script src="https://porthole.example/embed.js" async></script>
 *
 * Optional: data-theme="light|dark|auto", data-bordered, data-titled="false", data-tz="America/New_York",
 * data-locale="de-DE", data-token-url="/porthole-token" (the host's own backend: POSTed to, with the
 * page's cookies, when the token is expiring, or when the frame is refused before it shows anything;
 * it answers `{ "token": "…" }`, which is handed to the embed, or with which a refused frame is
 * opened again). Further containers may use the `data-porthole` attribute instead of the id.
 * Events are re-dispatched on the container as DOM events of the same name, the message as `detail`
 * (`porthole:ready`, `porthole:range-changed`, `porthole:unavailable`, `porthole:expired`,
 * `porthole:token-expiring`, `porthole:warning`); commands dispatched on the container (`porthole:set-range` with
 * `detail: { range }`, `porthole:set-timezone`, `porthole:set-theme`, `porthole:refresh`,
 * `porthole:set-token` with `detail: { token }`) are posted to its iframe. Unusable attributes are
 * named in a console warning, and the container is left alone. So are the mistakes an embed itself only
 * answers with "unavailable" (the public answer is uniform): no container, a data-token that is no token
 * (an API key, a URL, a cut-off string), and a Porthole that does not answer within 10 s.
 */
const script = document.currentScript as HTMLScriptElement | null;
/** Where the loader itself came from: the default API origin when data-api-url is left out. */
const scriptOrigin = script ? new URL(script.src).origin : location.origin;

const COMMANDS = ['porthole:set-range', 'porthole:set-timezone', 'porthole:set-theme', 'porthole:refresh', 'porthole:set-token'];

const warn = (container: HTMLElement, problem: string) => console.warn(`Porthole embed.js: ${problem}`, container);

/** How long an embed may stay silent (no message from its iframe) before the loader says so. */
const SILENCE_MS = 10_000;

/**
 * What is wrong with a data-token that is plainly not a user embed token (a compact HS256 JWS:
 * three base64url parts, the last of 43), or null. Never echoes the token.
 */
function tokenProblem(token: string): string | null {
  if (token.startsWith('ph_')) return 'is an API key: never put one in a web page; use the user’s embed_token';
  if (/^\w+:|\/\//.test(token)) return 'is a URL, not a token (page embed URLs go in data-page-url)';
  return /^[\w-]+\.[\w-]+\.[\w-]{43}$/.test(token) ? null : `is not a whole token (${token.length} characters): cut short?`;
}

/** An absolute http(s) URL, or null (with a warning naming the attribute). */
function httpUrl(container: HTMLElement, attribute: string, value: string, base: string): URL | null {
  try {
    const url = new URL(value, base);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // warned below
  }
  warn(container, `${attribute}="${value.slice(0, 80)}" is not a usable URL; nothing embedded.`);
  return null;
}

function frameUrl(container: HTMLElement): URL | null {
  const { pageUrl, token, apiUrl, theme, tz, locale } = container.dataset;
  let url: URL | null;
  if (pageUrl) {
    url = httpUrl(container, 'data-page-url', pageUrl, location.href);
  } else if (token) {
    const problem = tokenProblem(token.trim());
    if (problem) warn(container, `data-token ${problem}.`);
    // An API key is not sent anywhere, not even to Porthole.
    if (token.startsWith('ph_')) return null;
    url = httpUrl(container, 'data-api-url', apiUrl || scriptOrigin, location.href);
    if (url) url = new URL('/dashboard.html', url);
    url?.searchParams.set('token', token);
  } else {
    warn(container, 'a container needs data-page-url (a page embed) or data-token (a user dashboard); nothing embedded.');
    return null;
  }
  if (!url) return null;
  if (theme) {
    if (/^(light|dark|auto)$/.test(theme)) url.searchParams.set('theme', theme);
    else warn(container, `data-theme="${theme}" is not light, dark or auto; ignored.`);
  }
  if (tz) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      warn(container, `data-tz="${tz}" is not a time zone this browser knows; the embed shows its own zone.`);
    }
    // Passed on either way: the embed says so too, as porthole:warning (a DOM event on the container).
    url.searchParams.set('tz', tz.slice(0, 64));
  }
  if (locale) {
    try {
      url.searchParams.set('locale', Intl.getCanonicalLocales(locale)[0]!);
    } catch {
      warn(container, `data-locale="${locale}" is not a locale; ignored.`);
    }
  }
  for (const flag of ['bordered', 'titled'] as const) {
    const value = container.dataset[flag];
    if (value !== undefined) url.searchParams.set(flag, value || 'true');
  }
  // The embed is served with Referrer-Policy: no-referrer, so it learns its parent's origin from here.
  url.searchParams.set('origin', location.origin);
  return url;
}

/** data-token-url as an http(s) URL (relative to the page), or null; an unusable one is named in a warning. */
function tokenUrlOf(container: HTMLElement): URL | null {
  const value = container.dataset.tokenUrl;
  if (!value) return null;
  try {
    const url = new URL(value, location.href);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // warned below
  }
  warn(container, `data-token-url="${value.slice(0, 80)}" is not a usable URL; the token will not be renewed.`);
  return null;
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
  // No top navigation, no forms: the embed only needs its own scripts and its own origin's API, and,
  // for a private embed's "Sign in to view", its sign-in window and the Storage Access API.
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-storage-access-by-user-activation');
  container.appendChild(iframe);

  const frameOrigin = url.origin;
  const silence = setTimeout(
    () => warn(container, `${container.dataset.pageUrl ? 'data-page-url' : 'data-api-url'} (${frameOrigin}) did not answer within 10 s.`),
    SILENCE_MS,
  );
  const send = (message: Record<string, unknown>) => iframe.contentWindow?.postMessage({ ...message, v: 1 }, frameOrigin);
  const renewFrom = tokenUrlOf(container);
  let renewing = false;
  /** Whether the frame has shown its view, and whether it was opened again with a renewed token. */
  let shown = false;
  let reopened = false;
  /**
   * Asks the host's backend for a new token and hands it to the embed (one request at a time). A
   * frame refused before it ever showed its view is Porthole's refusal document, which runs no embed
   * code and takes no command: it is opened again with the new token instead, once until it shows.
   */
  const renew = async (reopen = false) => {
    if (!renewFrom || renewing || (reopen && reopened)) return;
    renewing = true;
    try {
      const response = await fetch(renewFrom, { method: 'POST', credentials: 'include', cache: 'no-store', headers: { accept: 'application/json' } });
      const token: unknown = response.ok ? ((await response.json()) as { token?: unknown } | null)?.token : undefined;
      if (typeof token === 'string' && token && reopen) {
        reopened = true;
        url.searchParams.set(url.pathname === '/dashboard.html' ? 'token' : 't', token);
        iframe.src = url.href;
      } else if (typeof token === 'string' && token) send({ type: 'porthole:set-token', token });
      else warn(container, `data-token-url answered ${response.status} without a "token"; the embed keeps its old one.`);
    } catch {
      warn(container, 'data-token-url could not be reached; the embed keeps its old token.');
    } finally {
      renewing = false;
    }
  };
  addEventListener('message', (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== frameOrigin) return;
    const data = event.data as { type?: unknown; height?: unknown } | null;
    if (!data || typeof data.type !== 'string' || !data.type.startsWith('porthole:')) return;
    clearTimeout(silence);
    if (data.type === 'porthole:resize') {
      if (typeof data.height === 'number' && Number.isFinite(data.height)) {
        iframe.style.height = `${Math.max(0, Math.ceil(data.height))}px`;
      }
      return;
    }
    if (data.type === 'porthole:ready') shown = true;
    if (data.type === 'porthole:token-expiring') void renew();
    else if (data.type === 'porthole:unavailable' && !shown) void renew(true);
    container.dispatchEvent(new CustomEvent(data.type, { bubbles: true, detail: data }));
  });
  // Commands from the host page's own script, forwarded to this iframe's origin only.
  for (const type of COMMANDS) {
    container.addEventListener(type, (event) => {
      if (event.target !== container) return;
      send({ ...(event as CustomEvent).detail, type });
    });
  }
}

function mountAll(): void {
  const containers = document.querySelectorAll<HTMLElement>('#porthole, [data-porthole]');
  if (!containers.length) console.warn('Porthole embed.js: no container found (looked for id="porthole" and data-porthole).');
  containers.forEach(mount);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
else mountAll();
