import type { EmbeddedPage, EmbeddedWidget } from '../api/operations';
import { bucketOf, pivot } from './series';
import type { HostChannel, HostCommand } from './host';

/*
 * The host page in charge (client/README.md, "Host page protocol"): `porthole:point-click` when a
 * viewer activates a mark or row of a widget that allows it, and the `porthole:highlight`,
 * `porthole:get-data` and `porthole:get-image` commands. Only this hook is in the embed's first
 * load; what it does is in ./host-actions.js, fetched on the first click or command.
 */

/**
 * Where events carrying data may go: the parent's origin named by `?origin=` (the loader always
 * sets it), and only where the token lets that origin frame the embed (its `origins`; a PUBLIC
 * token without any: anyone with the link may see its data already). Otherwise null: no data
 * event is sent, and the data commands are ignored.
 */
export function dataOrigin(parentOrigin: string, claims: { origins?: unknown; audience?: unknown } | null, where: Location): string | null {
  if (parentOrigin === '*' || !claims) return null;
  // Where the browser says who frames us (Chromium, WebKit), the named origin must be that parent.
  const parent = where.ancestorOrigins?.[0];
  if (parent !== undefined && parent !== parentOrigin) return null;
  const origins = Array.isArray(claims.origins) ? claims.origins.map((origin) => String(origin).replace(/\/$/, '')) : [];
  return origins.length ? (origins.includes(parentOrigin) ? parentOrigin : null) : claims.audience === 'public' ? parentOrigin : null;
}

/** The code that answers (lib/host-actions.js), fetched by URL on first use: why a URL, it says. */
const ACTIONS = new URL('./host-actions.js', import.meta.url).href;

interface Actions {
  pointClick(item: Element, widget: EmbeddedWidget, page: EmbeddedPage, host: HostChannel, origin: string, chart: typeof CHART): void;
  answer(command: HostCommand, root: HTMLElement, page: EmbeddedPage | null, host: HostChannel, origin: string, chart: typeof CHART): Promise<void>;
}

const CHART = { pivot, bucketOf };
const actions = () => import(/* @vite-ignore */ ACTIONS) as Promise<Actions>;

/**
 * Listens on `root` for activations (click, Enter, Space) of chart marks and table rows; returns
 * the handler of the data commands (true when it took the command).
 */
export function hookHost(
  root: HTMLElement,
  page: () => EmbeddedPage | null | undefined,
  host: HostChannel,
  origin: string | null,
): (command: HostCommand) => boolean {
  const activate = (event: Event) => {
    const item = (event.target as Element).closest?.('.hit, tbody tr');
    const shown = page();
    const widget = item && shown?.widgets.find((one) => one.id === item.closest<HTMLElement>('[data-widget-id]')?.dataset['widgetId']);
    if (!origin || !item || !shown || !widget?.clickEvents) return;
    if (event.type === 'keydown') event.preventDefault();
    void actions().then((module) => module.pointClick(item, widget, shown, host, origin, CHART));
  };
  root.addEventListener('click', activate);
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') activate(event);
  });
  return (command) => {
    if (command.type !== 'porthole:highlight' && command.type !== 'porthole:get-data' && command.type !== 'porthole:get-image') return false;
    if (origin) void actions().then((module) => module.answer(command, root, page() ?? null, host, origin, CHART));
    return true;
  };
}
