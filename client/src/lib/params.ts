export type Theme = 'light' | 'dark' | 'auto';

export interface EmbedParams {
  /** The credential: `t` for a page embed, `token` for a user dashboard. */
  token: string;
  theme: Theme;
  bordered: boolean;
  titled: boolean;
  /** Where host messages go; `'*'` when the host did not say (see client/README.md). */
  parentOrigin: string;
  /** `?tz=`: the viewer's IANA zone, sent to the server (which ignores an unknown one); null for none. */
  timezone: string | null;
  /** `?locale=`: how numbers and dates are written; null for the token's, else the browser's. */
  locale: string | null;
}

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
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    bordered: flag(params.get('bordered'), false),
    titled: flag(params.get('titled'), true),
    parentOrigin: originOrAny(params.get('origin')),
    timezone: params.get('tz')?.slice(0, 64) || null,
    locale: localeOrNull(params.get('locale')),
  };
}

/** Theme and border are page-wide, so they live on <html> for the stylesheet to read. */
export function applyAppearance(root: HTMLElement, { theme, bordered }: Pick<EmbedParams, 'theme' | 'bordered'>): void {
  root.dataset.theme = theme;
  if (bordered) root.dataset.bordered = '';
}
