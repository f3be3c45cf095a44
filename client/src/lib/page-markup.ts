import type { EmbeddedPage, EmbeddedWidget } from '../api/operations.js';
import { barChart, legend, lineChart, pivot } from './chart.js';
import { humanize, toNumber, type Formats } from './format.js';
import { markup, type Markup } from './markup.js';

/*
 * A page (title, description, widget cards) as markup for PageView's `{@html}`, styled by
 * styles/page.css. Every value goes through `markup`, so it is escaped; see client/README.md for
 * why the widget bodies are markup and the shell around them (range picker, tooltip, states) Svelte.
 *
 * This module and those it imports name their imports' `.js` files: tests/unit/page-markup.test.ts
 * loads them under Node, and the root typecheck resolves them as Node does.
 */

/** A card's padding and border, left and right (styles/page.css): 2 × 1.1rem at 15px, 2 × 1px. */
const CARD_INSET = 35;

/** The first numeric cell of the first row, large, in the widget's format; its label is the caption. */
function figure(widget: EmbeddedWidget, fmt: Formats): Markup {
  const { columns, rows } = widget.data;
  const row = rows[0] ?? [];
  const index = row.findIndex((cell) => toNumber(cell) !== null);
  return index < 0 ? markup`<p>No data</p>` : figureText(fmt.number(toNumber(row[index]!)!, widget.format), widget.label ?? humanize(columns[index]!));
}

/** The figure on one line, its size set by its length (styles/page.css reads `--chars`), so it never wraps or spills. */
function figureText(text: string, caption: string): Markup {
  return markup`<p class="figure" data-testid="number-value" style="--chars: ${Math.max(4, text.length)}">${text}</p><p>${caption}</p>`;
}

/**
 * An accessible table named by the widget's title (the card shows it as its heading): column
 * headers (`columnLabels`, else readable field names), and the first cell of each row as its row
 * header. Columns holding numbers are right-aligned with tabular digits (`num`), so decimals line up.
 */
function table(widget: EmbeddedWidget, fmt: Formats): Markup {
  const { columns, rows } = widget.data;
  const names = columns.map(
    (column, i) => widget.columnLabels?.[i] ?? (i === columns.length - 1 && widget.label && !widget.columnLabels ? widget.label : humanize(column)),
  );
  const num = (i: number) => rows.some((row) => typeof row[i] === 'number') && markup` class="num"`;
  const head = names.map((name, i) => markup`<th scope="col"${num(i)}>${name}</th>`);
  const body = rows.map(
    ([first = null, ...rest]) =>
      markup`<tr><th scope="row"${num(0)}>${fmt.cell(first, widget.format)}</th>${rest.map((cell, i) => markup`<td${num(i + 1)}>${fmt.cell(cell, widget.format)}</td>`)}</tr>`,
  );
  return markup`<div class="scroll"><table aria-label="${widget.title}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** One card per widget: its title as a heading, then its number, table or chart. */
function card(widget: EmbeddedWidget, chartWidth: number, fmt: Formats): Markup {
  const { id, kind, title, data } = widget;
  const body =
    kind === 'NUMBER'
      ? figure(widget, fmt)
      : !data.rows.length
        ? markup`<p>No data for this period.</p>`
        : kind === 'TABLE'
          ? table(widget, fmt)
          : markup`${legend(pivot(widget).series)}${(kind === 'BAR' ? barChart : lineChart)(widget, chartWidth, fmt)}`;
  return markup`<section class="card" data-kind="${kind}" data-widget-id="${id}"><h2>${title}</h2>${body}</section>`;
}

/**
 * The page: its title and description (unless `titled` is false; the title an <h1> unless `heading`
 * says 'h2'), then its widgets in a grid (nothing when it has none: PageView says so).
 *
 * @param width the width the page is laid out in, in CSS pixels: charts take a whole row of the
 *   grid, and are drawn at that width less a card's padding
 * @param fmt the viewer's locale and the page's effective time zone
 */
export function pageMarkup({ id, title, description, widgets }: EmbeddedPage, width: number, fmt: Formats, titled?: boolean, heading?: 'h1' | 'h2'): Markup {
  const header =
    titled !== false &&
    markup`<header class="page-title">${heading === 'h2' ? markup`<h2>${title}</h2>` : markup`<h1>${title}</h1>`}${description && markup`<p>${description}</p>`}</header>`;
  const cards = widgets.length > 0 && markup`<div class="widgets">${widgets.map((widget) => card(widget, width - CARD_INSET, fmt))}</div>`;
  return markup`<article data-page-id="${id}">${header}${cards}</article>`;
}
