import type { EmbeddedWidget } from '../api/operations.js';
import { formatLabels, formatTicks, textWidth } from './chart-format.js';
import { humanize, type Cell, type Formats } from './format.js';
import { bucketOf, keyLabel, partialAt, pivot, type Series } from './series.js';

/*
 * BAR and LINE charts as plain models that components/Chart.svelte draws as SVG, at the card's
 * pixel width (not scaled through a viewBox), so text stays 12px at any size. Each kind of mark is
 * one path per series; every text has a class that styles it (styles/page.css). Values printed next
 * to bars or points have the class `value`, which tests and scrapers select them by.
 *
 * Every bucket or category also gets a transparent hit area (`marks`) carrying its label and values:
 * Chart.svelte makes them one tab stop with arrow keys between them, lib/tips.ts shows
 * the text on hover and focus, and a screen reader reads it as the mark's name.
 */

/** Lines draw markers only while points are at least this far apart (px); closer, they make a solid comb. */
const MARKER_SPACING = 14;
export interface ChartText {
  x: number;
  y: number;
  a: 'start' | 'middle' | 'end';
  t: string;
  /** The whole text of a shortened one, shown on hover. */
  full?: string;
}

/** A bucket's or category's hit area, and what it says. */
export interface ChartMark {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  tip: string;
}

/** One series' marks as path data: bars and lines, those of partial buckets apart (drawn lighter, dashed), and dots. */
export interface SeriesPaths {
  bars: string;
  partialBars: string;
  line: string;
  dashed: string;
  dots: string;
}

export interface ChartModel {
  width: number;
  height: number;
  /** The chart's name for assistive technology. */
  summary: string;
  grid: string;
  axis: string;
  /** Coloured by their index (styles/page.css `[data-s]`), reused past six. */
  series: SeriesPaths[];
  /** Texts by class: ticks, category names, values printed at bars and points, axis titles. */
  ticks: ChartText[];
  categories: ChartText[];
  values: ChartText[];
  titles: ChartText[];
  marks: ChartMark[];
}

const paths = (): SeriesPaths => ({ bars: '', partialBars: '', line: '', dashed: '', dots: '' });

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

const text = (x: number, y: number, a: ChartText['a'], t: string, full?: string): ChartText => ({ x, y, a, t, ...(full && { full }) });

/** "phone 4, chat 2" for a mark: each series' value at one key (a single series by its value alone). */
function tipValues(series: Series[], i: number, fmt: Formats, format: EmbeddedWidget['format']): string {
  const value = (v: number | null) => (v === null ? '—' : fmt.number(v, format));
  return series.length === 1 ? `${series[0]!.name}: ${value(series[0]!.values[i]!)}` : series.map((s) => `${s.name}: ${value(s.values[i]!)}`).join(', ');
}

/**
 * Horizontal bars, one row per category (or bucket), stacked by series: names on the left (cut
 * with an ellipsis when long, the whole name on hover), each total at the end of its bar. Partial
 * buckets are drawn lighter.
 */
export function barChart(widget: EmbeddedWidget, width: number, fmt: Formats): ChartModel {
  const ROW = 30;
  const TOP = 22;
  const bucket = bucketOf(widget);
  const { keys, series } = pivot(widget);
  const names = keys.map((key) => (bucket ? fmt.bucket(key, bucket) : fmt.cell(key)));
  const categoryTitle = bucket ? '' : humanize(widget.data.columns[0] ?? '');
  const totals = keys.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  // ~7px per character at 12px.
  const nameWidth = Math.min(width * 0.4, 16 + 7.5 * Math.max(4, categoryTitle.length, ...names.map((n) => n.length)));
  const totalTexts = formatLabels(fmt, totals, widget.format);
  // Room on the right for the longest total after its bar, measured (€13,137.50 is not 64 px).
  const plotWidth = Math.max(40, width - nameWidth - Math.max(64, 14 + Math.max(0, ...totalTexts.map((label) => textWidth(label)))));
  const baseline = TOP + keys.length * ROW + 4;
  const room = Math.floor((nameWidth - 12) / 7);
  const axis = valueAxis(totals, nameWidth, plotWidth, totals.every(Number.isInteger));
  let grid = '';
  const ticks: ChartText[] = [];
  const categories: ChartText[] = [];
  const values: ChartText[] = [];
  // One way of writing the whole axis (€0, €7.5K, €15K): lib/format.ts's ticks().
  const tickTexts = formatTicks(fmt, axis.ticks, widget.format);
  axis.ticks.forEach((tick, k) => {
    grid += `M${axis.at(tick)},${TOP}V${baseline}`;
    ticks.push(text(axis.at(tick), baseline + 14, 'middle', tickTexts[k]!));
  });
  const drawn = series.map(paths);
  const marks: ChartMark[] = [];
  names.forEach((name, i) => {
    const y = TOP + i * ROW;
    const partial = partialAt(widget, i, keys.length);
    let from = axis.at(0);
    series.forEach((s, j) => {
      const to = from + axis.at(s.values[i] ?? 0) - axis.at(0);
      drawn[j]![partial ? 'partialBars' : 'bars'] += `M${Math.min(from, to)},${y + 5}H${Math.max(from, to)}v20H${Math.min(from, to)}z`;
      from = to;
    });
    const cut = name.length > room;
    categories.push(text(nameWidth - 8, y + 19, 'end', cut ? `${name.slice(0, Math.max(1, room - 1))}…` : name, cut ? name : ''));
    values.push(text(Math.max(from, axis.at(0)) + 6, y + 19, 'start', totalTexts[i]!));
    marks.push({
      key: String(keys[i]),
      x: 0,
      y,
      w: width,
      h: ROW,
      tip: `${bucket ? keyLabel(widget, keys, i, fmt) : name} — ${tipValues(series, i, fmt, widget.format)}`,
    });
  });
  return {
    width,
    height: baseline + 42,
    summary: `${widget.title}: ${names.map((n, i) => `${n} ${fmt.number(totals[i]!, widget.format)}`).join(', ')}`,
    grid,
    axis: `M${nameWidth},${baseline}h${plotWidth}`,
    series: drawn,
    ticks,
    categories,
    values,
    titles: [
      text(nameWidth - 8, 14, 'end', categoryTitle),
      text(nameWidth + plotWidth / 2, baseline + 34, 'middle', series.length === 1 ? series[0]!.name : (widget.label ?? '')),
    ],
    marks,
  };
}

/**
 * The labels under a time axis, as many as fit, as [index, text, second line].
 *
 * By the hour, labels fall on round hours (every 1, 2, 3, 6 or 12) or on midnights, and a day change
 * is written under its first label, so "07:00 17:00 03:00" cannot hide which day it is. Other buckets
 * count back from the latest.
 */
function timeLabels(widget: EmbeddedWidget, keys: Cell[], room: number, fmt: Formats): Array<[number, string, string]> {
  const bucket = bucketOf(widget);
  const labels: Array<[number, string, string]> = [];
  const need = keys.length / Math.max(1, room);
  if (bucket !== 'HOUR') {
    for (let i = keys.length - 1; i >= 0; i -= Math.max(1, Math.ceil(need))) labels.push([i, fmt.bucket(keys[i]!, bucket), '']);
    return labels;
  }
  const step = [1, 2, 3, 6, 12].find((hours) => hours >= need) ?? 24 * Math.ceil(need / 24);
  const hourOf = new Intl.DateTimeFormat('en', { timeZone: fmt.timezone, hour: 'numeric', hourCycle: 'h23' });
  let day = '';
  let days = -1;
  let shownDay = '';
  keys.forEach((key, i) => {
    const date = fmt.bucket(key, 'DAY');
    const newDay = date !== day;
    if (newDay) days += 1;
    day = date;
    const hour = Number(hourOf.format(new Date(String(key))));
    if (step < 24 ? hour % step === 0 : newDay && days % (step / 24) === 0) {
      labels.push(step < 24 ? [i, fmt.bucket(key, 'HOUR'), date === shownDay ? '' : date] : [i, date, '']);
      shownDay = date;
    }
  });
  return labels;
}

/**
 * Lines over a true time axis: buckets sit at their instants (the server filled every gap, so a
 * missing day is a 0, not a shortcut), value ticks on the left, dates below, one line per series.
 * Markers only when points are few, but always on a value with no neighbour (it would be drawn as
 * nothing otherwise); segments into a partial bucket are dashed. The latest value of a single
 * series is printed.
 */
export function lineChart(widget: EmbeddedWidget, width: number, fmt: Formats): ChartModel {
  const BASELINE = 182;
  const PLOT_HEIGHT = 160;
  /** Points sit INSET px inside the plot so the first and last labels clear the axes. */
  const INSET = 16;
  const { keys, series } = pivot(widget);
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  // 10% headroom keeps the value label of the highest point inside the plot.
  const axis = valueAxis(
    values.map((v) => v * 1.1),
    BASELINE,
    -PLOT_HEIGHT,
    values.every(Number.isInteger),
  );
  // One way of writing the whole axis (lib/format.ts's ticks()), and a left margin as wide as its widest tick.
  const tickTexts = formatTicks(fmt, axis.ticks, widget.format);
  const LEFT = Math.max(40, Math.ceil(14 + Math.max(...tickTexts.map((label) => textWidth(label)))));
  const times = keys.map((key, i) => (typeof key === 'string' && !Number.isNaN(Date.parse(key)) ? Date.parse(key) : i));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  const last = keys.length - 1;
  const plotWidth = Math.max(40, width - LEFT - 28);
  const x = (i: number) => LEFT + INSET + (span > 0 ? ((times[i]! - first) / span) * (plotWidth - 2 * INSET) : plotWidth / 2 - INSET);
  let grid = '';
  const ticks: ChartText[] = [];
  axis.ticks.forEach((tick, k) => {
    grid += `M${LEFT},${axis.at(tick)}h${plotWidth}`;
    ticks.push(text(LEFT - 8, axis.at(tick) + 4, 'end', tickTexts[k]!));
  });
  let twoLines = false;
  for (const [i, label, below] of timeLabels(widget, keys, plotWidth / 64, fmt)) {
    ticks.push(text(x(i), BASELINE + 18, 'middle', label));
    if (below) ticks.push(text(x(i), BASELINE + 32, 'middle', below));
    twoLines ||= Boolean(below);
  }
  const markers = last < 1 || (plotWidth - 2 * INSET) / last >= MARKER_SPACING;
  const partial = (i: number) => partialAt(widget, i, keys.length);
  const drawn = series.map((s) => {
    const one = paths();
    let previous = '';
    s.values.forEach((value, i) => {
      // A bucket without a value (AVG, MIN, MAX of nothing) breaks the line rather than bridging it.
      if (value === null) return void (previous = '');
      const point = `${x(i)},${axis.at(value)}`;
      if (previous && (partial(i - 1) || partial(i))) {
        one.dashed += `M${previous}L${point}`;
        one.line += `M${point}`;
      } else one.line += `${previous ? 'L' : 'M'}${point}`;
      if (markers || ((s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null)) {
        one.dots += `M${x(i) - 3.5},${axis.at(value)}a3.5,3.5 0 1 0 7,0a3.5,3.5 0 1 0-7,0`;
      }
      previous = point;
    });
    return one;
  });
  const latest = series.length === 1 ? series[0]!.values[last] : null;
  const marks = keys.map((key, i): ChartMark => {
    const left = i === 0 ? LEFT : (x(i - 1) + x(i)) / 2;
    const right = i === last ? LEFT + plotWidth : (x(i) + x(i + 1)) / 2;
    return {
      key: String(key),
      x: left,
      y: BASELINE - PLOT_HEIGHT,
      w: Math.max(1, right - left),
      h: PLOT_HEIGHT,
      tip: `${keyLabel(widget, keys, i, fmt)} — ${tipValues(series, i, fmt, widget.format)}`,
    };
  });
  const bucket = bucketOf(widget);
  return {
    width,
    height: twoLines ? 224 : 210,
    summary:
      last < 0
        ? widget.title
        : `${widget.title}: ${last + 1} points from ${fmt.bucket(keys[0]!, bucket, true)} to ${fmt.bucket(keys[last]!, bucket, true)}, latest ${tipValues(series, last, fmt, widget.format)}`,
    grid,
    axis: `M${LEFT},${BASELINE}h${plotWidth}`,
    series: drawn,
    ticks,
    categories: [],
    values: latest === null || latest === undefined ? [] : [text(x(last), axis.at(latest) - 9, 'middle', fmt.number(latest, widget.format, true))],
    titles: [],
    marks,
  };
}
