import { en, type Catalog, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';

/**
 * The embed's own words (picker, states, captions, notes) in the viewer's language. English is built
 * in; every other catalog is a file of its own, fetched only by an embed shown in its language
 * (scripts/report-sizes.mjs holds each to 2 kB gzip, outside the page embed's budget).
 *
 * Catalogs are plain JavaScript modules that the build copies as assets (vite.config.ts keeps them
 * files, never inlined), imported by URL: a dynamic `import('./de.js')` would make Vite wrap every
 * import in its preload helper, 0.6 kB gzip in each embed for chunks that have nothing to preload.
 */
const CATALOGS: Record<string, string> = {
  de: new URL('./de.js', import.meta.url).href,
  fr: new URL('./fr.js', import.meta.url).href,
  es: new URL('./es.js', import.meta.url).href,
  ja: new URL('./ja.js', import.meta.url).href,
};

/** English: built in, and completed by the parts loaded on use that bring words of their own (`addEnglish`). */
const english = en as Catalog;
let messages: Catalog = english;
let spoken = 'en';

/** The language the embed speaks now ('en' until `speak` says another). */
export const language = (): string => spoken;

/** The words for `key` in the language spoken, `{name}` filled from `values`. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values?.[name] ?? whole));
}

/** Adds the English words of a part loaded on use (the sign-in prompt's: ./en-sign-in.ts) before it shows them. */
export function addEnglish(words: Partial<Catalog>): void {
  Object.assign(english, words);
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
    messages = language === 'en' ? english : ((await import(/* @vite-ignore */ CATALOGS[language]!)) as { default: Catalog }).default;
  } catch {
    messages = english;
    language = 'en';
  }
  spoken = language;
  if (root) root.lang = language;
  return language;
}
