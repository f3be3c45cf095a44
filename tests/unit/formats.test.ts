import { afterEach, describe, expect, test } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedWidget } from '../../client/src/api/operations.js';
import { formatLabels, formatTicks, textWidth } from '../../client/src/lib/chart-format.js';
import { columnFormat, Formats, humanize, repeats, type WidgetFormat } from '../../client/src/lib/format.js';
import { en as builtIn } from '../../client/src/lib/i18n/en.js';
import { enSignIn } from '../../client/src/lib/i18n/en-sign-in.js';
import { addEnglish, languageOf, speak, t } from '../../client/src/lib/i18n/index.js';
import { repoRoot } from '../../server/src/paths.js';

/**
 * How the embed writes numbers, times and its own words (client/src/lib/format.ts, lib/i18n/): as
 * people of each locale write them, one style per chart axis, a format per table column, and the
 * chrome in the viewer's language.
 */

const EUR: WidgetFormat = { style: 'CURRENCY', currency: 'EUR', unit: null, decimals: null };
const JPY: WidgetFormat = { style: 'CURRENCY', currency: 'JPY', unit: null, decimals: null };
/** Intl writes narrow and non-breaking spaces in some locales (fr-FR, de-DE before €): compared as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const fmt = (locale: string, zone = 'Europe/Berlin', viewerZone = zone) => new Formats(locale, zone, viewerZone);

/** Every English word: those built in and the sign-in prompt's, which it adds when it loads (as here). */
const en = { ...builtIn, ...enSignIn };
addEnglish(enSignIn);

afterEach(() => speak('en'));

describe('currency', () => {
  test.each([
    ['en-US', '€7,500.00', '€13,137.50', '¥7,500'],
    ['de-DE', '7.500,00 €', '13.137,50 €', '7.500 ¥'],
    ['fr-FR', '7 500,00 €', '13 137,50 €', '7 500 JPY'],
    ['es-ES', '7500,00 €', '13.137,50 €', '7500 JPY'],
    ['ja-JP', '€7,500.00', '€13,137.50', '￥7,500'],
  ])('in %s is written to its minor units: %s, %s, %s', (locale, thousands, cents, yen) => {
    expect(plain(fmt(locale).number(7500, EUR))).toBe(thousands);
    expect(plain(fmt(locale).number(13137.5, EUR))).toBe(cents);
    expect(plain(fmt(locale).number(7500, JPY))).toBe(yen);
  });

  test('keeps the decimals a format asks for', () => {
    expect(fmt('en-US').number(7500, { ...EUR, decimals: 0 })).toBe('€7,500');
    expect(fmt('en-US').number(0.5, { ...EUR, decimals: 3 })).toBe('€0.500');
  });

  test('on a chart label is shortened from 10 000, or written without cents where the locale has no shorter form', () => {
    expect(fmt('en-US').number(13137.5, EUR, true)).toBe('€13.1K');
    expect(plain(fmt('de-DE').number(13137.5, EUR, true))).toBe('13.138 €');
    expect(plain(fmt('de-DE').number(1_250_000, EUR, true))).toBe('1,3 Mio. €');
    expect(fmt('en-US').number(7500, EUR, true)).toBe('€7,500.00');
  });
});

describe('axis ticks', () => {
  test('are all shortened when the largest reaches 10 000: "€0", "€7.5K", "€15K"', () => {
    expect(formatTicks(fmt('en-US'), [0, 7500, 15000], EUR)).toEqual(['€0', '€7.5K', '€15K']);
    expect(formatTicks(fmt('en-US'), [0, 5000, 10000])).toEqual(['0', '5K', '10K']);
    expect(formatTicks(fmt('en-US'), [0, 625_000, 1_250_000], EUR)).toEqual(['€0', '€625K', '€1.25M']);
    expect(formatTicks(fmt('fr-FR'), [0, 7500, 15000], EUR).map(plain)).toEqual(['0 €', '7,5 k €', '15 k €']);
  });

  test('are all in full, grouped alike, where the locale has no shorter form for the largest', () => {
    expect(formatTicks(fmt('de-DE'), [0, 7500, 15000], EUR).map(plain)).toEqual(['0 €', '7.500 €', '15.000 €']);
  });

  test('below 10 000 are in full with the digits the ticks need, and a currency all to its minor units or none', () => {
    expect(formatTicks(fmt('en-US'), [0, 500, 1000], EUR)).toEqual(['€0', '€500', '€1,000']);
    expect(formatTicks(fmt('en-US'), [0, 2.5, 5], EUR)).toEqual(['€0.00', '€2.50', '€5.00']);
    expect(formatTicks(fmt('en-US'), [0, 0.5, 1])).toEqual(['0.0', '0.5', '1.0']);
    expect(formatTicks(fmt('en-US'), [0, 50, 100], { style: 'NUMBER', currency: null, unit: 'minute', decimals: null })).toEqual([
      '0 min',
      '50 min',
      '100 min',
    ]);
    expect(formatTicks(fmt('en-US'), [0, 0.25, 0.5], { style: 'PERCENT', currency: null, unit: null, decimals: null })).toEqual(['0%', '25%', '50%']);
  });

  test('never mix shortened and full forms on one axis', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'es-ES']) {
      for (const top of [1000, 8000, 10_000, 12_000, 15_000, 80_000, 400_000]) {
        const ticks = formatTicks(fmt(locale), [0, top / 2, top], EUR);
        const short = ticks.slice(1).map((tick) => /[KkMm]|mil|Mio/.test(tick));
        expect(new Set(short).size).toBe(1);
      }
    }
  });

  test('printed at the bars of one chart are written alike: all shortened, or all without cents where the locale cannot shorten', () => {
    expect(formatLabels(fmt('en-US'), [86_082.15, 9_660, 8_352.7], EUR)).toEqual(['€86.1K', '€9.7K', '€8.4K']);
    expect(formatLabels(fmt('de-DE'), [11_222, 9_660, 8_352.7], EUR).map(plain)).toEqual(['11.222 €', '9.660 €', '8.353 €']);
    expect(formatLabels(fmt('en-US'), [7_500, 57.9], EUR)).toEqual(['€7,500.00', '€57.90']);
    expect(formatLabels(fmt('en-US'), [14, 13])).toEqual(['14', '13']);
  });

  test('are measured wide enough: a longer text is wider, and "€1,000.00" needs more than 56 px at 12 px', () => {
    expect(textWidth('€1,000.00')).toBeGreaterThan(56);
    expect(textWidth('€15K')).toBeLessThan(textWidth('€15,000'));
    expect(textWidth('1.5万')).toBeGreaterThan(textWidth('1.5'));
  });
});

describe('a TABLE column', () => {
  const widget = (columnFormats: EmbeddedWidget['columnFormats'], format: WidgetFormat | null = null) => ({
    columnFormats,
    format,
    data: { columns: ['customer', 'amount', 'minutes'], rows: [['Ada', 57.9, 95]] },
  });

  test('is written in its own format: money as money, minutes as a duration', () => {
    const table = widget([
      { column: 'amount', ...EUR },
      { column: 'minutes', style: 'DURATION', currency: null, unit: 'minute', decimals: null },
    ]);
    const cells = table.data.rows[0]!.map((cell, i) => fmt('en-US').cell(cell, columnFormat(table, i)));
    expect(cells).toEqual(['Ada', '€57.90', '1 hr 35 min']);
    const de = table.data.rows[0]!.map((cell, i) => plain(fmt('de-DE').cell(cell, columnFormat(table, i))));
    expect(de).toEqual(['Ada', '57,90 €', '1 Std. 35 Min.']);
  });

  test("without a format of its own takes the widget's", () => {
    const table = widget([{ column: 'amount', ...EUR }], { style: 'NUMBER', currency: null, unit: null, decimals: 1 });
    expect(columnFormat(table, 2)).toEqual(table.format);
    expect(columnFormat(widget(null), 1)).toBeNull();
  });
});

describe('times and zones', () => {
  const instant = '2026-12-01T19:52:42.251Z';

  test("a table time names its zone only where it differs from the viewer's", () => {
    expect(fmt('en-US', 'America/New_York', 'America/New_York').cell(instant)).toMatch(/^Dec 1(, 2026)?, 2:52\sPM$/);
    expect(fmt('en-US', 'America/New_York', 'Europe/Berlin').cell(instant)).toMatch(/^Dec 1(, 2026)?, 2:52\sPM EST$/);
    expect(fmt('de-DE', 'Europe/Berlin', 'America/New_York').cell(instant)).toMatch(/^1\. Dez\.(, 2026)?, 20:52 MEZ$/);
  });

  test('the period is the days shown, the last one before `to`, and the zone is named by its city', () => {
    const ny = fmt('en-US', 'America/New_York');
    expect(ny.period('2026-11-08T05:00:00.000Z', '2026-12-08T05:00:00.000Z')).toBe('Nov 8 – Dec 7');
    expect(ny.period(null, null)).toBe('');
    expect(ny.zoneName()).toBe('New York time');
    expect(fmt('en-US', 'UTC').zoneName()).toBe('UTC');
    expect(fmt('en-US', 'America/Argentina/Buenos_Aires').zoneName()).toBe('Buenos Aires time');
  });

  test("in another language, the zone is named in that language's words, as the browser names it", async () => {
    const named = async (language: string, zone: string) => {
      await speak(language);
      return fmt(language, zone).zoneName();
    };
    expect(await named('de-DE', 'Europe/Berlin')).toBe('Mitteleuropäische Zeit');
    expect(await named('fr-FR', 'America/New_York')).toBe('heure de l’Est nord-américain');
    expect(await named('es-ES', 'Europe/Berlin')).toBe('hora de Europa central');
    expect(await named('ja-JP', 'Asia/Tokyo')).toBe('日本標準時');
    expect(await named('de-DE', 'UTC')).toBe('UTC');
    expect(await named('en-US', 'Europe/Berlin')).toBe('Berlin time');
  });
});

describe("the embed's words", () => {
  test('are English by default, and German, French, Spanish or Japanese where the locale says', async () => {
    expect(t('LAST_7_DAYS')).toBe('Last 7 days');
    for (const [locale, week, zone] of [
      ['de-DE', 'Letzte 7 Tage', 'Mitteleuropäische Zeit'],
      ['fr-CA', '7 derniers jours', 'heure d’Europe centrale'],
      ['es-MX', 'Últimos 7 días', 'hora de Europa central'],
      ['ja-JP', '過去7日間', '中央ヨーロッパ時間'],
    ] as const) {
      expect(await speak(locale)).toBe(locale.slice(0, 2));
      expect(t('LAST_7_DAYS')).toBe(week);
      expect(fmt(locale).zoneName()).toBe(zone);
    }
  });

  test('fall back to English for a language without a catalog, and set <html lang> to the language spoken', async () => {
    const root = { lang: 'xx' } as HTMLElement;
    expect(await speak('pt-BR', root)).toBe('en');
    expect(root.lang).toBe('en');
    expect(t('signIn')).toBe('Sign in to view');
    await speak('de-AT', root);
    expect(root.lang).toBe('de');
    expect(t('signIn')).toBe('Zum Ansehen anmelden');
    expect(t('forbidden')).toBe('Sie haben keinen Zugriff auf diese Einbettung.');
    expect(languageOf(null)).toBe('en');
  });

  test('name captions and axis titles made from column names', async () => {
    expect(humanize('sum(revenue)')).toBe('Sum of revenue');
    expect(humanize('count')).toBe('Count');
    expect(humanize('first_name')).toBe('First name');
    await speak('de-DE');
    expect(humanize('sum(revenue)')).toBe('Summe von revenue');
    expect(humanize('at')).toBe('Zeitpunkt');
    expect(fmt('de-DE').cell(true)).toBe('Ja');
    expect(t('firstOf', { n: 5, m: 12 })).toBe('erste 5 von 12');
  });

  test('a caption that only repeats the title is recognised, whatever its case and spaces', () => {
    expect(repeats(' calls', 'Calls ')).toBe(true);
    expect(repeats('Calls handled', 'Calls')).toBe(false);
  });

  test('every catalog translates every English key, and is at most 2 kB gzip', async () => {
    for (const language of ['de', 'fr', 'es', 'ja']) {
      const catalog = (await import(`../../client/src/lib/i18n/${language}.js`)).default as Record<string, string>;
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
      // The same values to fill in, in whatever order the language puts them.
      const slots = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      for (const [key, text] of Object.entries(catalog)) expect([key, slots(text)]).toEqual([key, slots(en[key as keyof typeof en])]);
      const source = readFileSync(join(repoRoot(), 'client', 'src', 'lib', 'i18n', `${language}.js`));
      expect(gzipSync(source, { level: 9 }).length).toBeLessThan(2000);
    }
  });
});
