import type { EmbeddedWidget } from '../api/operations.js';
import { formatBucket, formatCell, formatCompact, toNumber } from './format.js';
import { markup, type Markup } from './markup.js';

/*
 * BAR and LINE charts as SVG markup, drawn at the card's pixel width (not scaled through a viewBox),
 * so text stays 12px at any size. Each kind of mark is one path (all grid lines in one, all bars in
 * another…); every text is a <text> whose class styles it (styles/page.css). The values printed
 * next to the bars or points have the class `value`, which tests and scrapers select them by.
 */

type Data = EmbeddedWidget['data'];

/** A round upper bound for an axis, so ticks land on readable values (0, 250, 500…). */
function niceMax(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8].find((s) => s * magnitude >= max) ?? 10) * magnitude;
}

/**
 * The value axis, from 0 (or a round negative floor) to a round ceiling: its three ticks, and where
 * a value sits on it (the floor at `start`, the ceiling at `start + length`).
 */
function valueAxis(values: number[], start: number, length: number) {
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const top = max > 0 ? niceMax(max) : 1;
  const bottom = min < 0 ? -niceMax(-min) : 0;
  return {
    ticks: [bottom, (bottom + top) / 2, top],
    at: (value: number) => start + ((value - bottom) / (top - bottom)) * length,
  };
}

/** The first column as names (through `name`), the second as numbers. */
const seriesOf = ({ rows }: Data, name: typeof formatCell) =>
  rows.map(([category = null, value = null]) => ({
    name: name(category),
    value: toNumber(value) ?? 0,
  }));

/** One text of a chart; a shortened one keeps its whole text for hover (`full`). */
const label = (kind: 'value' | 'tick' | 'category' | 'axis-title', x: number, y: number, anchor: 'start' | 'middle' | 'end', text: string, full = ''): Markup =>
  markup`<text class="${kind}" x="${x}" y="${y}" text-anchor="${anchor}">${text}${full && markup`<title>${full}</title>`}</text>`;

/**
 * The chart as an image for assistive technology: `role="img"` hides the drawing, and `summary`
 * reads it aloud instead.
 */
const chart = (width: number, height: number, summary: string, paths: Markup, labels: Markup[]): Markup =>
  markup`<svg width="${width}" height="${height}" role="img" aria-label="${summary}">${paths}${labels}</svg>`;

/**
 * Horizontal bars, one row per category: names on the left (cut with an ellipsis when long, the
 * whole name on hover), each value at the end of its bar, value ticks below.
 */
export function barChart(title: string, data: Data, width: number): Markup {
  const ROW = 30;
  const TOP = 22;
  const [categoryTitle = '', valueTitle = ''] = data.columns;
  const bars = seriesOf(data, formatCell);
  // ~7px per character at 12px.
  const nameWidth = Math.min(width * 0.4, 12 + 7 * Math.max(4, categoryTitle.length, ...bars.map((b) => b.name.length)));
  const plotWidth = Math.max(40, width - nameWidth - 64);
  const baseline = TOP + bars.length * ROW + 4;
  const room = Math.floor((nameWidth - 12) / 7);
  const axis = valueAxis(
    bars.map((b) => b.value),
    nameWidth,
    plotWidth,
  );
  const labels = [label('axis-title', nameWidth - 8, 14, 'end', categoryTitle)];
  const values: Markup[] = [];
  let grid = '';
  for (const tick of axis.ticks) {
    grid += `M${axis.at(tick)},${TOP}V${baseline}`;
    labels.push(label('tick', axis.at(tick), baseline + 14, 'middle', formatCompact(tick)));
  }
  let path = '';
  bars.forEach(({ name, value }, i) => {
    const y = TOP + i * ROW;
    const from = Math.min(axis.at(0), axis.at(value));
    const to = Math.max(axis.at(0), axis.at(value));
    path += `M${from},${y + 5}H${to}v20H${from}z`;
    const cut = name.length > room;
    labels.push(label('category', nameWidth - 8, y + 19, 'end', cut ? `${name.slice(0, Math.max(1, room - 1))}…` : name, cut ? name : ''));
    values.push(label('value', to + 6, y + 19, 'start', formatCompact(value)));
  });
  labels.push(label('axis-title', nameWidth + plotWidth / 2, baseline + 34, 'middle', valueTitle));
  return chart(
    width,
    baseline + 42,
    `${title}: ${bars.map((b) => `${b.name} ${formatCompact(b.value)}`).join(', ')}`,
    markup`<path class="grid" d="${grid}"/><path class="axis" d="M${nameWidth},${baseline}h${plotWidth}"/><path class="bars" d="${path}"/>`,
    [...labels, ...values],
  );
}

/**
 * A line over time buckets: value ticks on the left, dates below, and as many point values above
 * the line as fit (the latest always; dates likewise).
 */
export function lineChart(title: string, data: Data, width: number): Markup {
  const LEFT = 52;
  const BASELINE = 182;
  const PLOT_HEIGHT = 154;
  /** Points sit INSET px inside the plot so the first and last value labels clear the axes. */
  const INSET = 16;
  const [bucketTitle = '', valueTitle = ''] = data.columns;
  const points = seriesOf(data, formatBucket);
  const last = points.length - 1;
  const plotWidth = Math.max(40, width - LEFT - 28);
  // 10% headroom keeps the value label of the highest point inside the plot.
  const axis = valueAxis(
    points.map((p) => p.value * 1.1),
    BASELINE,
    -PLOT_HEIGHT,
  );
  /** Every `step`th label counting back from the latest, so that at most `room` are drawn. */
  const every = (room: number) => Math.max(1, Math.ceil((last + 1) / Math.max(1, room)));
  const valueStep = every(plotWidth / 44);
  const dateStep = every(plotWidth / 56);
  const labels = [label('axis-title', 4, 14, 'start', valueTitle)];
  const values: Markup[] = [];
  let grid = '';
  for (const tick of axis.ticks) {
    grid += `M${LEFT},${axis.at(tick)}h${plotWidth}`;
    labels.push(label('tick', LEFT - 8, axis.at(tick) + 4, 'end', formatCompact(tick)));
  }
  let line = '';
  let dots = '';
  points.forEach(({ name, value }, i) => {
    const x = LEFT + INSET + (last ? (i / last) * (plotWidth - 2 * INSET) : plotWidth / 2 - INSET);
    const y = axis.at(value);
    line += `${i ? 'L' : 'M'}${x},${y}`;
    // A circle of radius 3.5, as two arcs.
    dots += `M${x - 3.5},${y}a3.5,3.5 0 1 0 7,0a3.5,3.5 0 1 0-7,0`;
    if ((last - i) % valueStep === 0) values.push(label('value', x, y - 9, 'middle', formatCompact(value)));
    if ((last - i) % dateStep === 0) labels.push(label('tick', x, BASELINE + 18, 'middle', name));
  });
  labels.push(label('axis-title', LEFT + plotWidth / 2, 224, 'middle', bucketTitle));
  return chart(
    width,
    230,
    last < 0 ? title : `${title}: ${last + 1} points, latest ${points[last]!.name} ${formatCompact(points[last]!.value)}`,
    markup`<path class="grid" d="${grid}"/><path class="axis" d="M${LEFT},${BASELINE}h${plotWidth}"/><path class="line" d="${line}"/><path class="dots" d="${dots}"/>`,
    [...labels, ...values],
  );
}
