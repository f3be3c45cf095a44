// @ts-check
/**
 * What the host page may ask of a page embed and hear from it beyond its status (client/README.md,
 * "Host page protocol"): `porthole:point-click`, and the answers to `porthole:highlight`,
 * `porthole:get-data` and `porthole:get-image`. Everything sent is what the viewer already sees:
 * the rows drawn, a mark's key and values.
 *
 * Plain JavaScript (type-checked from its JSDoc: client/tsconfig.json includes it), copied as it is into the build and imported by URL on the first click or
 * command (lib/host-hook.ts), as the language catalogs are (lib/i18n/index.ts says why: a dynamic
 * import of a module would put Vite's preload helper, 0.6 kB gzip, into every embed). It imports
 * nothing: the chart readings it needs are handed over by the hook.
 *
 * @typedef {import('../api/operations').EmbeddedPage} EmbeddedPage
 * @typedef {import('../api/operations').EmbeddedWidget} EmbeddedWidget
 * @typedef {import('./host').HostChannel} HostChannel
 * @typedef {import('./host').HostCommand} HostCommand
 * @typedef {{ pivot: typeof import('./series').pivot, bucketOf: typeof import('./series').bucketOf }} ChartReadings
 */

/** `get-data` and `get-image` together: a few a second, the rest answered `RATE_LIMITED`. */
const PER_SECOND = 4;
let windowStart = -1e9;
let used = 0;

function allowed() {
  const now = performance.now();
  if (now - windowStart >= 1000) {
    windowStart = now;
    used = 0;
  }
  used += 1;
  return used <= PER_SECOND;
}

/** The wall-clock [year, month, day, hour, minute] of an instant in a time zone. */
function partsIn(/** @type {Date} */ at, /** @type {string} */ timeZone) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const parts = format.formatToParts(at);
  return ['year', 'month', 'day', 'hour', 'minute'].map((type) => Number(parts.find((part) => part.type === type)?.value));
}

/** The instant of midnight on a calendar day in a zone (its offset found in two passes: DST-correct). */
function midnightIn(/** @type {number} */ year, /** @type {number} */ month, /** @type {number} */ day, /** @type {string} */ timeZone) {
  const wanted = Date.UTC(year, month - 1, day);
  let guess = wanted;
  for (let pass = 0; pass < 2; pass++) {
    const [y, m, d, h, min] = partsIn(new Date(guess), timeZone);
    guess += wanted - Date.UTC(y, m - 1, d, h, min);
  }
  return new Date(guess);
}

/**
 * Where the bucket drawn at `i` ends: the next bucket's start, else one period after its own start
 * in the page's zone (the server cut the buckets there).
 */
function bucketEnd(
  /** @type {EmbeddedWidget} */ widget,
  /** @type {unknown[]} */ keys,
  /** @type {number} */ i,
  /** @type {string} */ timeZone,
  /** @type {ChartReadings} */ chart,
) {
  const next = keys[i + 1];
  if (typeof next === 'string') return next;
  const start = keys[i];
  const bucket = chart.bucketOf(widget);
  if (typeof start !== 'string' || !bucket) return null;
  const at = new Date(start);
  if (bucket === 'HOUR') return new Date(at.getTime() + 3_600_000).toISOString();
  const [year, month, day] = partsIn(at, timeZone);
  return midnightIn(year, month + (bucket === 'MONTH' ? 1 : 0), day + (bucket === 'DAY' ? 1 : bucket === 'WEEK' ? 7 : 0), timeZone).toISOString();
}

/** The item's index among its widget's marks (`.hit`) or rows. */
const indexOf = (/** @type {Element} */ item) => [...(item.parentElement?.children ?? [])].filter((one) => one.matches('.hit, tr')).indexOf(item);

/**
 * `porthole:point-click` for an activated mark or row: the widget, then what the viewer sees of
 * that mark (its category or bucket, and its value, or each series' value) or row (its cells).
 *
 * @param {Element} item @param {EmbeddedWidget} widget @param {EmbeddedPage} page
 * @param {HostChannel} host @param {string} origin @param {ChartReadings} chart
 */
export function pointClick(item, widget, page, host, origin, chart) {
  const i = indexOf(item);
  const base = { type: /** @type {const} */ ('porthole:point-click'), widgetId: widget.id, title: widget.title, kind: widget.kind };
  if (widget.kind === 'TABLE') {
    const row = widget.data.rows[i];
    if (row) host.postData({ ...base, row: Object.fromEntries(widget.data.columns.map((column, c) => [column, row[c] ?? null])) }, origin);
    return;
  }
  const { keys, series } = chart.pivot(widget);
  if (i < 0 || i >= keys.length) return;
  const dimension = chart.bucketOf(widget) ? { bucket: { start: keys[i], end: bucketEnd(widget, keys, i, page.timezone, chart) } } : { group: keys[i] };
  const values = widget.seriesBy
    ? { series: series.map((one) => ({ name: one.name, value: one.values[i] ?? null })) }
    : { value: series[0]?.values[i] ?? null };
  host.postData({ ...base, ...dimension, ...values }, origin);
}

/** Whether a drawn key is the value the host names (bucket starts compared as instants). */
function sameKey(/** @type {unknown} */ key, /** @type {unknown} */ value) {
  if (key === value) return true;
  if (typeof key === 'string' && typeof value === 'string') {
    const at = Date.parse(key);
    return !Number.isNaN(at) && at === Date.parse(value);
  }
  return key !== null && value !== null && String(key) === String(value);
}

const HIGHLIGHT_STYLE =
  'tr[data-highlighted]{outline:2px solid var(--accent);outline-offset:-2px}.hit[data-highlighted]{fill:var(--accent);fill-opacity:.2;stroke:var(--accent);stroke-width:2}';

/** The card of a widget, found by comparing ids (never by building a selector from the host's text). */
const cardOf = (/** @type {HTMLElement} */ root, /** @type {string} */ widgetId) =>
  [...root.querySelectorAll('[data-widget-id]')].find((one) => one instanceof HTMLElement && one.dataset.widgetId === widgetId);

/** Marks the widget's mark or row whose key is `value`, one at a time per widget; a value not shown clears it. */
function highlight(
  /** @type {HTMLElement} */ root,
  /** @type {EmbeddedPage} */ page,
  /** @type {string} */ widgetId,
  /** @type {unknown} */ value,
  /** @type {ChartReadings} */ chart,
) {
  if (!document.getElementById('porthole-highlight')) {
    const style = document.createElement('style');
    style.id = 'porthole-highlight';
    style.textContent = HIGHLIGHT_STYLE;
    document.head.append(style);
  }
  const widget = page.widgets.find((one) => one.id === widgetId);
  const card = cardOf(root, widgetId);
  if (!widget || !card) return;
  for (const marked of card.querySelectorAll('[data-highlighted]')) marked.removeAttribute('data-highlighted');
  const keys = widget.kind === 'TABLE' ? widget.data.rows.map((row) => row[0] ?? null) : chart.pivot(widget).keys;
  const index = keys.findIndex((key) => sameKey(key, value));
  const items = card.querySelectorAll(card.querySelector('svg') ? '.hit' : 'tbody tr');
  if (index >= 0) items[index]?.setAttribute('data-highlighted', '');
}

/** The rows each widget drew, as drawn: its data after any cut, in the order shown. */
const dataOf = (/** @type {EmbeddedPage} */ page) => page.widgets.map(({ id, title, data }) => ({ id, title, columns: data.columns, rows: data.rows }));

const STYLED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'visibility',
];

/** A widget's chart as a PNG data URL: its SVG with each element's computed style inlined, on the card's background, drawn at twice its size. */
async function imageOf(/** @type {HTMLElement} */ root, /** @type {string} */ widgetId) {
  const card = cardOf(root, widgetId);
  const svg = card?.querySelector('svg');
  if (!card || !svg) return null;
  const copy = /** @type {SVGSVGElement} */ (svg.cloneNode(true));
  const copies = [copy, ...copy.querySelectorAll('*')];
  [svg, ...svg.querySelectorAll('*')].forEach((element, i) => {
    const style = getComputedStyle(element);
    copies[i]?.setAttribute('style', STYLED.map((name) => `${name}:${style.getPropertyValue(name)}`).join(';'));
  });
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.insertAdjacentHTML('afterbegin', `<rect width="100%" height="100%" fill="${getComputedStyle(card).backgroundColor}"/>`);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * 2);
  canvas.height = Math.ceil(height * 2);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.scale(2, 2);
  context.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}

/**
 * Answers a host command that marks or reads what is shown.
 *
 * @param {HostCommand} command @param {HTMLElement} root @param {EmbeddedPage | null} page
 * @param {HostChannel} host @param {string} origin @param {ChartReadings} chart
 */
export async function answer(command, root, page, host, origin, chart) {
  if (command.type === 'porthole:highlight') {
    if (page) highlight(root, page, command.widgetId, command.value, chart);
    return;
  }
  if (command.type !== 'porthole:get-data' && command.type !== 'porthole:get-image') return;
  const { requestId } = command;
  const type = command.type === 'porthole:get-data' ? 'porthole:data' : 'porthole:image';
  if (!allowed()) return host.postData({ type, requestId, error: 'RATE_LIMITED' }, origin);
  if (command.type === 'porthole:get-data') return host.postData({ type, requestId, widgets: page ? dataOf(page) : [] }, origin);
  const url = await imageOf(root, command.widgetId).catch(() => null);
  host.postData({ type, requestId, widgetId: command.widgetId, ...(url ? { url } : { error: 'NO_IMAGE' }) }, origin);
}
