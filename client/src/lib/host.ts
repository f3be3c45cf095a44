import type { RangeInput } from '../api/operations';

/** An embed's colours: what `porthole:set-theme`, `theme=` and `data-theme` name. */
export type Theme = 'light' | 'dark' | 'auto';

/** The protocol version every message carries (client/README.md documents it). */
const V = 1;

/** The range as the embed reports it: a preset, or null for a custom one; bounds as ISO instants or null. */
export interface ReportedRange {
  preset: string | null;
  from: string | null;
  to: string | null;
}

/** One page of a user dashboard, as the embed reports it. */
export interface ReportedPage {
  pageId: string;
  range: ReportedRange;
  timezone: string;
}

/**
 * Events to the page that frames the embed. They carry no data — a height, a status, the range
 * shown, when the token ends — so they may go to `'*'` when the host did not pass its origin (see
 * client/README.md). A dashboard reports its pages (`pages`, `pageId`) where a page embed reports its one range.
 */
export type HostEvent =
  | { type: 'porthole:resize'; height: number }
  | { type: 'porthole:ready'; range?: ReportedRange; timezone?: string; pages?: ReportedPage[] }
  | { type: 'porthole:range-changed'; range: ReportedRange; timezone: string; pageId?: string }
  | { type: 'porthole:unavailable' }
  | { type: 'porthole:expired' }
  | { type: 'porthole:warning'; code: 'UNKNOWN_TIMEZONE'; value: string }
  | { type: 'porthole:token-expiring'; expiresAt: string | null };

/** Commands from the host page. Anything else, or from anywhere else, is ignored. */
export type HostCommand =
  | { type: 'porthole:set-range'; range: RangeInput }
  | { type: 'porthole:set-timezone'; timezone: string }
  | { type: 'porthole:set-theme'; theme: Theme }
  | { type: 'porthole:refresh' }
  | { type: 'porthole:set-token'; token: string }
  | { type: 'porthole:highlight'; widgetId: string; value: string | number | boolean | null }
  | { type: 'porthole:get-data'; requestId: string }
  | { type: 'porthole:get-image'; requestId: string; widgetId: string };

/** A token as the embed routes carry it: compact JWS characters only (base64url and dots), of a sane length. */
const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A command's payload checked field by field: only the shapes above get through. */
function parseCommand(data: unknown): HostCommand | null {
  if (!data || typeof data !== 'object') return null;
  const message = data as Record<string, unknown>;
  if (message['v'] !== V) return null;
  const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);
  switch (message['type']) {
    case 'porthole:set-range': {
      const range = message['range'] as Record<string, unknown> | null;
      if (!range || typeof range !== 'object') return null;
      const preset = text(range['preset'], 20);
      const from = text(range['from'], 40);
      const to = text(range['to'], 40);
      if (preset && !from && !to) return { type: 'porthole:set-range', range: { preset: preset as RangeInput['preset'] } };
      if (!preset && from && to && !Number.isNaN(Date.parse(from)) && !Number.isNaN(Date.parse(to))) return { type: 'porthole:set-range', range: { from, to } };
      return null;
    }
    case 'porthole:set-timezone': {
      const timezone = text(message['timezone'], 64);
      return timezone ? { type: 'porthole:set-timezone', timezone } : null;
    }
    case 'porthole:set-theme': {
      const theme = message['theme'];
      return theme === 'light' || theme === 'dark' || theme === 'auto' ? { type: 'porthole:set-theme', theme } : null;
    }
    case 'porthole:refresh':
      return { type: 'porthole:refresh' };
    // Host commands of issue 26: ids are short text; a highlighted value is one JSON scalar.
    case 'porthole:highlight': {
      const widgetId = text(message['widgetId'], 64);
      const value = message['value'];
      const scalar = value === null || typeof value === 'number' || typeof value === 'boolean' || text(value, 512) !== undefined;
      return widgetId && scalar ? { type: 'porthole:highlight', widgetId, value: value as string | number | boolean | null } : null;
    }
    case 'porthole:get-data':
    case 'porthole:get-image': {
      const requestId = text(message['requestId'], 64) ?? '';
      const widgetId = text(message['widgetId'], 64);
      if (message['type'] === 'porthole:get-data') return { type: 'porthole:get-data', requestId };
      return widgetId ? { type: 'porthole:get-image', requestId, widgetId } : null;
    }
    case 'porthole:set-token': {
      const token = text(message['token'], 4096);
      return token && TOKEN_SHAPE.test(token) ? { type: 'porthole:set-token', token } : null;
    }
  }
  return null;
}

export class HostChannel {
  readonly #targetOrigin: string;
  #lastHeight = -1;

  constructor(targetOrigin: string) {
    this.#targetOrigin = targetOrigin;
  }

  post(message: HostEvent): void {
    if (window.parent === window) return;
    window.parent.postMessage({ v: V, ...message }, this.#targetOrigin);
  }

  /** Posts an event that carries data (a click, rows, an image) to exactly `origin`, never to `'*'`. */
  postData(message: { type: `porthole:${string}` } & Record<string, unknown>, origin: string): void {
    if (window.parent !== window && origin !== '*') window.parent.postMessage({ v: V, ...message }, origin);
  }

  /**
   * Calls `handle` with each valid command the framing page sends. Only the parent window may
   * command, and only from the origin it named (`?origin=`, which the loader always sets); without
   * one, the parent of any origin may, as a plain iframe cannot be told apart otherwise. Commands
   * only choose among what the token allows: the server refuses a range it does not.
   */
  listen(handle: (command: HostCommand) => void): void {
    addEventListener('message', (event: MessageEvent) => {
      if (window.parent === window || event.source !== window.parent) return;
      if (this.#targetOrigin !== '*' && event.origin !== this.#targetOrigin) return;
      const command = parseCommand(event.data);
      if (command) handle(command);
    });
  }

  /** Posts `porthole:resize` whenever the element's rendered height changes. */
  observeHeight(element: HTMLElement): void {
    const report = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === this.#lastHeight) return;
      this.#lastHeight = height;
      this.post({ type: 'porthole:resize', height });
    };
    new ResizeObserver(report).observe(element);
    report();
  }
}
