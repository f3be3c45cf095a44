import { describe, expect, test } from '@jest/globals';
import type { EmbeddedPage, EmbeddedWidget } from '../../client/src/api/operations.js';
import { Formats } from '../../client/src/lib/format.js';
import { markup } from '../../client/src/lib/markup.js';
import { pageMarkup } from '../../client/src/lib/page-markup.js';

/**
 * The embeds insert pages as markup (client/src/lib/page-markup.ts through PageView's {@html}), so
 * everything a workspace or its records can set — titles, descriptions, column names, cells — must
 * reach the page as text, never as elements or attributes.
 */

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  '</svg><script>alert(3)</script>',
  '&amp;',
  "' onmouseover='alert(4)",
  '" onload="alert(5)',
];

type Cell = EmbeddedWidget['data']['rows'][number][number];

let nextId = 1;
const widget = (kind: EmbeddedWidget['kind'], columns: string[], rows: Cell[][]): EmbeddedWidget => ({
  id: `w${nextId++}`,
  kind,
  title: HOSTILE[0]!,
  label: null,
  columnLabels: null,
  format: null,
  columnFormats: null,
  seriesBy: null,
  bucket: null,
  data: { columns, rows },
});
const page = (widgets: EmbeddedWidget[]): EmbeddedPage => ({
  id: 'p1',
  title: HOSTILE[1]!,
  description: HOSTILE[2]!,
  refreshSeconds: null,
  timezone: 'UTC',
  locale: null,
  theme: 'LIGHT',
  rangeLocked: true,
  presets: [],
  range: { preset: 'ALL_TIME', from: null, to: null },
  widgets,
});
const fmt = new Formats('en-US', 'America/New_York');

/** Each hostile string as a record's value in the first column, with a number in the second. */
const hostileRows = (): Cell[][] => HOSTILE.map((text, i) => [text, i + 1]);

/** A widget of each kind, and the hostile strings it shows (all of them, but for NUMBER). */
const KINDS: Record<EmbeddedWidget['kind'], { widget: () => EmbeddedWidget; shows: string[] }> = {
  NUMBER: {
    // The figure is the first numeric cell; the caption its column's name.
    widget: () => widget('NUMBER', [HOSTILE[5]!, HOSTILE[1]!], [[HOSTILE[2]!, 42]]),
    shows: [HOSTILE[0]!, HOSTILE[1]!],
  },
  TABLE: {
    widget: () => widget('TABLE', [HOSTILE[1]!, HOSTILE[5]!], hostileRows()),
    shows: HOSTILE,
  },
  BAR: {
    widget: () => widget('BAR', [HOSTILE[2]!, HOSTILE[4]!], hostileRows()),
    shows: HOSTILE,
  },
  LINE: {
    widget: () => widget('LINE', [HOSTILE[3]!, HOSTILE[1]!], hostileRows()),
    shows: HOSTILE,
  },
};

/** A BAR with a second dimension: hostile series names (legend, tooltips) and a hostile label. */
const seriesWidget = (): EmbeddedWidget => ({
  ...widget(
    'BAR',
    ['channel', 'kind', 'count'],
    HOSTILE.map((text, i) => ['a', text, i]),
  ),
  seriesBy: 'kind',
  label: HOSTILE[4]!,
});

/** The elements and attributes the page markup is made of; anything else came from data. */
const ELEMENTS = new Set('article header h1 h2 p div section table thead tbody tr th td svg path text title rect ul li span'.split(' '));
const ATTRIBUTES = new Set(
  'class data-page-id data-kind data-widget-id data-testid aria-label scope width height role d x y text-anchor tabindex data-tip style'.split(' '),
);

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Reads markup in which every attribute value is double-quoted and no text holds `<`, `>` or `"`:
 * if that reading fails, data escaped its text. Returns the tags met and the decoded text and
 * attribute values.
 */
function parse(source: string) {
  const tags: { name: string; attributes: string[] }[] = [];
  const texts: string[] = [];
  const token = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>|([^<>"]+)/gy;
  let at = 0;
  for (const match of source.matchAll(token)) {
    if (match.index !== at) break;
    at += match[0].length;
    if (match[5] !== undefined) {
      texts.push(decode(match[5]));
      continue;
    }
    const attributes = [...match[3]!.matchAll(/([a-z-]+)="([^"]*)"/g)];
    tags.push({ name: match[2]!, attributes: attributes.map((a) => a[1]!) });
    texts.push(...attributes.map((a) => decode(a[2]!)));
  }
  expect(source.slice(at)).toBe('');
  return { tags, text: texts.join('\n') };
}

/** Asserts that `source` holds only the page's own elements and attributes; returns its text. */
function textOfSafe(source: string): string {
  const { tags, text } = parse(source);
  for (const { name, attributes } of tags) {
    expect(ELEMENTS).toContain(name);
    for (const attribute of attributes) expect(ATTRIBUTES).toContain(attribute);
  }
  return text;
}

describe('page markup', () => {
  test.each(Object.keys(KINDS) as EmbeddedWidget['kind'][])(
    'a %s widget shows hostile titles, column names and values as text, adding no element or attribute',
    (kind) => {
      const { widget, shows } = KINDS[kind];
      const text = textOfSafe(pageMarkup(page([widget()]), 700, fmt, false).source);

      for (const hostile of shows) expect(text).toContain(hostile);
    },
  );

  test('a hostile page title and description are shown as text', () => {
    const text = textOfSafe(pageMarkup(page([]), 700, fmt).source);

    expect(text).toContain(HOSTILE[1]);
    expect(text).toContain(HOSTILE[2]);
  });

  test('a table keeps its structure: a named table, column headers and row headers', () => {
    const source = pageMarkup(page([KINDS.TABLE.widget()]), 700, fmt).source;

    expect(source).toContain('<table aria-label="&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(source.match(/<th scope="col"/g)).toHaveLength(2);
    expect(source.match(/<th scope="row"/g)).toHaveLength(HOSTILE.length);
  });

  test('a chart is a group named by a summary of its data, each bar a focusable image carrying its tooltip', () => {
    const { tags, text } = parse(pageMarkup(page([KINDS.BAR.widget()]), 700, fmt).source);

    const svg = tags.find((tag) => tag.name === 'svg')!;
    expect(svg.attributes).toEqual(['width', 'height', 'role', 'aria-label']);
    expect(text).toContain(`${HOSTILE[0]}: ${HOSTILE[0]} 1, ${HOSTILE[1]} 2`);
    const hits = tags.filter((tag) => tag.name === 'rect');
    expect(hits).toHaveLength(HOSTILE.length);
    expect(hits[0]!.attributes).toEqual(['class', 'x', 'y', 'width', 'height', 'tabindex', 'role', 'aria-label', 'data-tip']);
  });

  test('series names and labels of a multi-series chart are text in its legend and tooltips', () => {
    const text = textOfSafe(pageMarkup(page([seriesWidget()]), 700, fmt).source);

    for (const hostile of HOSTILE) expect(text).toContain(hostile);
  });

  test('numbers, currencies, durations and dates are written in the locale and zone given', () => {
    const de = new Formats('de-DE', 'America/New_York');
    expect(de.number(1234.5)).toBe('1.234,5');
    expect(de.number(1234.5, { style: 'CURRENCY', currency: 'EUR', unit: null, decimals: 2 })).toMatch(/^1\.234,50\s€$/);
    expect(fmt.number(0.256, { style: 'PERCENT', currency: null, unit: null, decimals: null })).toBe('25.6%');
    expect(fmt.number(3725, { style: 'DURATION', currency: null, unit: 'second', decimals: null })).toBe('1 hr 2 min');
    expect(fmt.number(1_250_000, { style: 'COMPACT', currency: null, unit: null, decimals: null })).toBe('1.3M');
    // 02:30Z on Nov 1 is still Oct 31 in New York.
    expect(fmt.bucket('2026-11-01T02:30:00.000Z', 'DAY')).toBe('Oct 31');
    expect(fmt.cell('2026-12-01T19:52:42.251Z')).toMatch(/^Dec 1(, 2026)?, 2:52\sPM$/);
  });
});

describe('markup', () => {
  test('escapes &, <, >, double and single quotes in every value', () => {
    expect(markup`<p title="${`"'&<>`}">${`"'&<>`}</p>`.source).toBe('<p title="&quot;&#39;&amp;&lt;&gt;">&quot;&#39;&amp;&lt;&gt;</p>');
  });

  test('inserts markup it made as is, and arrays of values one after the other', () => {
    const item = (text: string) => markup`<li>${text}</li>`;
    expect(markup`<ul>${['<a>', 'b'].map(item)}</ul>`.source).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  test('leaves out null, undefined, false and empty strings, and writes 0', () => {
    expect(markup`${null}${undefined}${false}${''}${0}`.source).toBe('0');
  });

  test('refuses a value in an unquoted attribute', () => {
    expect(() => markup`<p title=${'x onclick=alert(1)'}></p>`).toThrow('Quote every attribute value.');
  });

  test('does not take a look-alike object for markup', () => {
    const forged = { source: '<script>alert(1)</script>' };
    expect(markup`<p>${forged as unknown as string}</p>`.source).toBe('<p>[object Object]</p>');
  });
});
