import { en, type Catalog, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';

/**
 * The embed's own words (picker, states, captions, notes) in the viewer's language. English is built
 * in; every other catalog is a chunk of its own, fetched only by an embed shown in its language
 * (scripts/report-sizes.mjs holds each to 2 kB gzip, outside the page embed's budget).
 */
const CATALOGS: Record<string, () => Promise<{ default: Catalog }>> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
  ja: () => import('./ja.js'),
};

let messages: Catalog = en;

/** The words for `key` in the language spoken, `{name}` filled from `values`. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values?.[name] ?? whole));
}

/** The language a BCP 47 locale's words are shown in: its own where there is a catalog, else English. */
export function languageOf(locale: string | null | undefined): string {
  const language = (locale ?? '').split('-')[0]!.toLowerCase();
  return language in CATALOGS ? language : 'en';
}

/**
 * Speaks `locale`'s language from now on, and says so on `root` (`<html lang>`). Call it before
 * anything is shown: nothing re-renders when the words change. A catalog that cannot be fetched
 * leaves English (and `lang="en"`), rather than an embed that never starts.
 */
export async function speak(locale: string | null | undefined, root?: HTMLElement): Promise<string> {
  let language = languageOf(locale);
  try {
    messages = language === 'en' ? en : (await CATALOGS[language]!()).default;
  } catch {
    messages = en;
    language = 'en';
  }
  if (root) root.lang = language;
  return language;
}
