import type { HostChannel, Theme } from './host';

export type { Theme } from './host';

export interface EmbedParams {
  /** The credential: `t` for a page embed, `token` for a user dashboard. */
  token: string;
  /** `?theme=` (data-theme, or later porthole:set-theme): the host's choice, which wins; null when it made none. */
  theme: Theme | null;
  bordered: boolean;
  titled: boolean;
  /** Where host messages go; `'*'` when the host did not say (see client/README.md). */
  parentOrigin: string;
  /** `?tz=`: the viewer's IANA zone, sent to the server (see `knownZone`); null for none. */
  timezone: string | null;
  /** `?locale=`: how numbers and dates are written; null for the token's, else the browser's. */
  locale: string | null;
}

const THEMES: readonly unknown[] = ['light', 'dark', 'auto'];

/** A locale the browser knows, or null. */
function localeOrNull(value: string | null): string | null {
  if (!value) return null;
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    return null;
  }
}

/** `?bordered`, `?bordered=1|true|yes` → true; `0|false|no` → false; absent → the default. */
function flag(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  return !/^(0|false|no|off)$/i.test(value);
}

/** An exact origin such as `https://example.com`, or `'*'` for anything else. */
function originOrAny(value: string | null): string {
  if (!value) return '*';
  try {
    const origin = new URL(value).origin;
    return origin !== 'null' && origin === value.replace(/\/$/, '') ? origin : '*';
  } catch {
    return '*';
  }
}

/** Reads the embed's URL parameters once, at start-up. */
export function readEmbedParams(search: string, tokenParam: 't' | 'token'): EmbedParams {
  const params = new URLSearchParams(search);
  const theme = params.get('theme');
  return {
    token: params.get(tokenParam) ?? '',
    theme: THEMES.includes(theme) ? (theme as Theme) : null,
    bordered: flag(params.get('bordered'), false),
    titled: flag(params.get('titled'), true),
    parentOrigin: originOrAny(params.get('origin')),
    timezone: params.get('tz')?.slice(0, 64) || null,
    locale: localeOrNull(params.get('locale')),
  };
}

/**
 * The theme shown: the host's, else the embed's own (the token's claim before the first load, then
 * `EmbeddedPage.theme`: the token's, else the page's), else light. Never the viewer's system setting
 * unless one of them says `auto`: a dark slab on a light partner site surprises everyone.
 */
export function themeOf(host: Theme | null, own: unknown): Theme {
  const lower = typeof own === 'string' ? own.toLowerCase() : null;
  return host ?? (THEMES.includes(lower) ? (lower as Theme) : 'light');
}

/** Theme and border are page-wide, so they live on <html> for the stylesheet to read. */
export function applyAppearance(root: HTMLElement, { theme, bordered }: { theme: Theme; bordered: boolean }): void {
  root.dataset.theme = theme;
  if (bordered) root.dataset.bordered = '';
}

/**
 * `zone` (from `?tz=` or porthole:set-timezone) if this browser knows it as a time zone. Otherwise
 * null, after saying so in the console and to the host (`porthole:warning`, code UNKNOWN_TIMEZONE):
 * the embed would show its own zone instead, and nothing on screen would tell the host why.
 */
export function knownZone(zone: string | null, host: HostChannel): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    console.warn(`Porthole: "${zone}" is not a time zone this browser knows (such as Europe/Berlin); the embed shows its own zone.`);
    host.post({ type: 'porthole:warning', code: 'UNKNOWN_TIMEZONE', value: zone });
    return null;
  }
}
