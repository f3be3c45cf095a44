import type { EmbeddedWidget } from '../api/operations.js';
import { humanize, toNumber, type Cell, type Formats } from './format.js';
import { markup, type Markup } from './markup.js';

/*
 * BAR and LINE charts as SVG markup, drawn at the card's pixel width (not scaled through a viewBox),
 * so text stays 12px at any size. Each kind of mark is one path per series; every text is a <text>
 * whose class styles it (styles/page.css). Values printed next to bars or points have the class
 * `value`, which tests and scrapers select them by.
 *
 * Every bucket or category also gets a transparent, focusable hit area (`.hit`) carrying its
 * tooltip text in `data-tip` and `aria-label`: components/Tooltip.svelte shows it on hover and on
 * keyboard focus, and a screen reader reads it when tabbing through the chart.
 */

/** Lines draw markers only while points are at least this far apart (px); closer, they make a solid comb. */
const MARKER_SPACING = 14;
/** Series colours (styles/page.css `.s0`…`.s5`), reused past six. */
const PALETTE = 6;

export interface Series {
  name: string;
  values: Array<number | null>;
}

/** A widget's rows as keys (buckets or categories) and one or more series of values over them. */
export function pivot(widget: EmbeddedWidget): { keys: Cell[]; series: Series[] } {
  const { columns, rows } = widget.data;
  if (!widget.seriesBy) {
    return {
      keys: rows.map((row) => row[0] ?? null),
      series: [{ name: widget.label ?? humanize(columns[1] ?? ''), values: rows.map((row) => toNumber(row[1] ?? null)) }],
    };
  }
  const keys: Cell[] = [];
  const index = new Map<Cell, number>();
  const byName = new Map<string, Series>();
  for (const [key = null, name = null, value = null] of rows) {
    if (!index.has(key)) index.set(key, keys.push(key) - 1);
    const label = name === null ? '—' : String(name);
    if (!byName.has(label)) byName.set(label, { name: label, values: [] });
    byName.get(label)!.values[index.get(key)!] = toNumber(value);
  }
  const series = [...byName.values()];
  for (const one of series) one.values = keys.map((_, i) => one.values[i] ?? null);
  return { keys, series };
}

/** A round upper bound for an axis, so ticks land on readable values (0, 250, 500…). */
function niceMax(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8].find((s) => s * magnitude >= max) ?? 10) * magnitude;
}

/** The value axis from 0 (or a round floor) to a round ceiling: three ticks, and where a value sits. */
function valueAxis(values: number[], start: number, length: number, integers = false) {
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  // Counts get whole-number ticks only (no "1.3 calls").
  const round = (value: number) => (integers ? Math.ceil(value) : value);
  const top = max > 0 ? round(niceMax(max)) : 1;
  const bottom = min < 0 ? -round(niceMax(-min)) : 0;
  return {
    ticks: [bottom, (bottom + top) / 2, top].filter((tick) => !integers || Number.isInteger(tick)),
    at: (value: number) => start + ((value - bottom) / (top - bottom)) * length,
  };
}

/** One text of a chart; a shortened one keeps its whole text for hover (`full`). */
const label = (kind: 'value' | 'tick' | 'category' | 'axis-title', x: number, y: number, anchor: 'start' | 'middle' | 'end', text: string, full = ''): Markup =>
  markup`<text class="${kind}" x="${x}" y="${y}" text-anchor="${anchor}">${text}${full && markup`<title>${full}</title>`}</text>`;

/** A focusable hit area whose tooltip is `tip`. */
const hit = (x: number, y: number, width: number, height: number, tip: string): Markup =>
  markup`<rect class="hit" x="${x}" y="${y}" width="${Math.max(1, width)}" height="${height}" tabindex="0" role="img" aria-label="${tip}" data-tip="${tip}"/>`;

/** "phone 4, chat 2" for a tooltip: each series' value at one key (a single series by its value alone). */
function tipValues(series: Series[], i: number, fmt: Formats, format: EmbeddedWidget['format']): string {
  const value = (v: number | null) => (v === null ? '—' : fmt.number(v, format));
  return series.length === 1 ? `${series[0]!.name}: ${value(series[0]!.values[i]!)}` : series.map((s) => `${s.name}: ${value(s.values[i]!)}`).join(', ');
}

/** The legend above a chart with several series. */
export function legend(series: Series[]): Markup | false {
  return series.length > 1 && markup`<ul class="legend">${series.map((s, i) => markup`<li><span class="swatch s${i % PALETTE}"></span>${s.name}</li>`)}</ul>`;
}

/**
 * The chart as a group for assistive technology: `summary` names it, and each hit area reads its
 * bucket or category and values.
 */
const chart = (width: number, height: number, summary: string, body: Markup[]): Markup =>
  markup`<svg width="${width}" height="${height}" role="group" aria-label="${summary}">${body}</svg>`;

/**
 * Horizontal bars, one row per category (or bucket), stacked by series: names on the left (cut
 * with an ellipsis when long, the whole name on hover), each total at the end of its bar.
 */
export function barChart(widget: EmbeddedWidget, width: number, fmt: Formats): Markup {
  const ROW = 30;
  const TOP = 22;
  const { keys, series } = pivot(widget);
  const names = keys.map((key) => (widget.bucket ? fmt.bucket(key, widget.bucket) : fmt.cell(key)));
  const categoryTitle = widget.bucket ? '' : humanize(widget.data.columns[0] ?? '');
  const totals = keys.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  // ~7px per character at 12px.
  const nameWidth = Math.min(width * 0.4, 16 + 7.5 * Math.max(4, categoryTitle.length, ...names.map((n) => n.length)));
  const plotWidth = Math.max(40, width - nameWidth - 64);
  const baseline = TOP + keys.length * ROW + 4;
  const room = Math.floor((nameWidth - 12) / 7);
  const axis = valueAxis(totals, nameWidth, plotWidth, totals.every(Number.isInteger));
  const body: Markup[] = [];
  let grid = '';
  const labels = [label('axis-title', nameWidth - 8, 14, 'end', categoryTitle)];
  for (const tick of axis.ticks) {
    grid += `M${axis.at(tick)},${TOP}V${baseline}`;
    labels.push(label('tick', axis.at(tick), baseline + 14, 'middle', fmt.number(tick, widget.format, true)));
  }
  body.push(markup`<path class="grid" d="${grid}"/><path class="axis" d="M${nameWidth},${baseline}h${plotWidth}"/>`);
  const paths = series.map(() => '');
  const hits: Markup[] = [];
  names.forEach((name, i) => {
    const y = TOP + i * ROW;
    let from = axis.at(0);
    series.forEach((s, j) => {
      const to = from + axis.at(s.values[i] ?? 0) - axis.at(0);
      paths[j] += `M${Math.min(from, to)},${y + 5}H${Math.max(from, to)}v20H${Math.min(from, to)}z`;
      from = to;
    });
    const cut = name.length > room;
    labels.push(label('category', nameWidth - 8, y + 19, 'end', cut ? `${name.slice(0, Math.max(1, room - 1))}…` : name, cut ? name : ''));
    labels.push(label('value', Math.max(from, axis.at(0)) + 6, y + 19, 'start', fmt.number(totals[i]!, widget.format, true)));
    hits.push(hit(0, y, width, ROW, `${widget.bucket ? fmt.bucket(keys[i]!, widget.bucket, true) : name} — ${tipValues(series, i, fmt, widget.format)}`));
  });
  body.push(...paths.map((d, j) => markup`<path class="bars s${j % PALETTE}" d="${d}"/>`));
  labels.push(label('axis-title', nameWidth + plotWidth / 2, baseline + 34, 'middle', series.length === 1 ? series[0]!.name : (widget.label ?? '')));
  return chart(width, baseline + 42, `${widget.title}: ${names.map((n, i) => `${n} ${fmt.number(totals[i]!, widget.format)}`).join(', ')}`, [
    ...body,
    ...labels,
    ...hits,
  ]);
}

/**
 * Lines over a true time axis: buckets sit at their instants (the server filled every gap, so a
 * missing day is a 0, not a shortcut), value ticks on the left, dates below, one line per series.
 * Markers only when points are few; the latest value of a single series is printed.
 */
export function lineChart(widget: EmbeddedWidget, width: number, fmt: Formats): Markup {
  const LEFT = 56;
  const BASELINE = 182;
  const PLOT_HEIGHT = 160;
  /** Points sit INSET px inside the plot so the first and last labels clear the axes. */
  const INSET = 16;
  const { keys, series } = pivot(widget);
  const times = keys.map((key, i) => (typeof key === 'string' && !Number.isNaN(Date.parse(key)) ? Date.parse(key) : i));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  const last = keys.length - 1;
  const plotWidth = Math.max(40, width - LEFT - 28);
  const x = (i: number) => LEFT + INSET + (span > 0 ? ((times[i]! - first) / span) * (plotWidth - 2 * INSET) : plotWidth / 2 - INSET);
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  // 10% headroom keeps the value label of the highest point inside the plot.
  const axis = valueAxis(
    values.map((v) => v * 1.1),
    BASELINE,
    -PLOT_HEIGHT,
    values.every(Number.isInteger),
  );
  const body: Markup[] = [];
  let grid = '';
  const labels: Markup[] = [];
  for (const tick of axis.ticks) {
    grid += `M${LEFT},${axis.at(tick)}h${plotWidth}`;
    labels.push(label('tick', LEFT - 8, axis.at(tick) + 4, 'end', fmt.number(tick, widget.format, true)));
  }
  body.push(markup`<path class="grid" d="${grid}"/><path class="axis" d="M${LEFT},${BASELINE}h${plotWidth}"/>`);
  // Dates: as many as fit, counting back from the latest.
  const dateStep = Math.max(1, Math.ceil((last + 1) / Math.max(1, plotWidth / 64)));
  for (let i = last; i >= 0; i -= dateStep) labels.push(label('tick', x(i), BASELINE + 18, 'middle', fmt.bucket(keys[i]!, widget.bucket)));
  const markers = last < 1 || (plotWidth - 2 * INSET) / last >= MARKER_SPACING;
  series.forEach((s, j) => {
    let line = '';
    let dots = '';
    let pen = 'M';
    s.values.forEach((value, i) => {
      // A bucket without a value (AVG, MIN, MAX of nothing) breaks the line rather than bridging it.
      if (value === null) return void (pen = 'M');
      const y = axis.at(value);
      line += `${pen}${x(i)},${y}`;
      pen = 'L';
      if (markers) dots += `M${x(i) - 3.5},${y}a3.5,3.5 0 1 0 7,0a3.5,3.5 0 1 0-7,0`;
    });
    body.push(markup`<path class="line s${j % PALETTE}" d="${line}"/>${dots && markup`<path class="dots s${j % PALETTE}" d="${dots}"/>`}`);
  });
  const latest = series.length === 1 ? series[0]!.values[last] : null;
  if (latest !== null && latest !== undefined) labels.push(label('value', x(last), axis.at(latest) - 9, 'middle', fmt.number(latest, widget.format, true)));
  const hits = keys.map((key, i) => {
    const left = i === 0 ? LEFT : (x(i - 1) + x(i)) / 2;
    const right = i === last ? LEFT + plotWidth : (x(i) + x(i + 1)) / 2;
    return hit(
      left,
      BASELINE - PLOT_HEIGHT,
      right - left,
      PLOT_HEIGHT,
      `${fmt.bucket(key, widget.bucket, true)} — ${tipValues(series, i, fmt, widget.format)}`,
    );
  });
  const summary =
    last < 0
      ? widget.title
      : `${widget.title}: ${last + 1} points from ${fmt.bucket(keys[0]!, widget.bucket, true)} to ${fmt.bucket(keys[last]!, widget.bucket, true)}, latest ${tipValues(series, last, fmt, widget.format)}`;
  return chart(width, 210, summary, [...body, ...labels, ...hits]);
}
