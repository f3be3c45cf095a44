import type { EmbeddedPage, EmbeddedWidget } from '../api/operations.js';
import { barChart, lineChart } from './chart.js';
import { formatCell, formatNumber, toNumber } from './format.js';
import { markup, type Markup } from './markup.js';

/*
 * A page (title, description, widget cards) as markup for PageView's `{@html}`, styled by
 * styles/page.css. As Svelte templates, they pulled about 2 kB of runtime into the page embed
 * (`{#each}`, dynamic attributes, component props, a binding); see client/README.md. Every value
 * goes through `markup`, so it is escaped.
 *
 * This module and those it imports name their imports' `.js` files: tests/unit/page-markup.test.ts
 * loads them under Node, and the root typecheck resolves them as Node does.
 */

type Data = EmbeddedWidget['data'];

/** A card's padding and border, left and right (styles/page.css): 2 × 1.1rem at 15px, 2 × 1px. */
const CARD_INSET = 35;

/** The first numeric cell of the first row, large; its column's name is the caption. */
function figure({ columns, rows }: Data): Markup {
  const row = rows[0] ?? [];
  const index = row.findIndex((cell) => toNumber(cell) !== null);
  return index < 0
    ? markup`<p>No data</p>`
    : markup`<p class="figure" data-testid="number-value">${formatNumber(toNumber(row[index]!)!)}</p><p>${columns[index]}</p>`;
}

/**
 * An accessible table named `title` (the card shows it as its heading): column headers, and the
 * first cell of each row as its row header. Columns holding numbers are right-aligned (`num`),
 * header and empty cells included.
 */
function table(title: string, { columns, rows }: Data): Markup {
  const num = (i: number) => rows.some((row) => typeof row[i] === 'number') && markup` class="num"`;
  const head = columns.map((column, i) => markup`<th scope="col"${num(i)}>${column}</th>`);
  const body = rows.map(
    ([first = null, ...rest]) =>
      markup`<tr><th scope="row"${num(0)}>${formatCell(first)}</th>${rest.map((cell, i) => markup`<td${num(i + 1)}>${formatCell(cell)}</td>`)}</tr>`,
  );
  return markup`<div class="scroll"><table aria-label="${title}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** One card per widget: its title as a heading, then its number, table or chart. */
function card({ id, kind, title, data }: EmbeddedWidget, chartWidth: number): Markup {
  const body =
    kind === 'NUMBER'
      ? figure(data)
      : !data.rows.length
        ? markup`<p>No data for this period.</p>`
        : kind === 'TABLE'
          ? table(title, data)
          : (kind === 'BAR' ? barChart : lineChart)(title, data, chartWidth);
  return markup`<section class="card" data-kind="${kind}" data-widget-id="${id}"><h2>${title}</h2>${body}</section>`;
}

/**
 * The page: its title and description (unless `titled` is false; the title an <h1> unless `heading`
 * says 'h2'), then its widgets in a grid (nothing when it has none: PageView says so).
 *
 * @param width the width the page is laid out in, in CSS pixels: charts take a whole row of the
 *   grid, and are drawn at that width less a card's padding
 */
export function pageMarkup({ id, title, description, widgets }: EmbeddedPage, width: number, titled?: boolean, heading?: 'h1' | 'h2'): Markup {
  const header =
    titled !== false &&
    markup`<header class="page-title">${heading === 'h2' ? markup`<h2>${title}</h2>` : markup`<h1>${title}</h1>`}${description && markup`<p>${description}</p>`}</header>`;
  const cards = widgets.length > 0 && markup`<div class="widgets">${widgets.map((widget) => card(widget, width - CARD_INSET))}</div>`;
  return markup`<article data-page-id="${id}">${header}${cards}</article>`;
}
