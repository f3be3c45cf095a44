import type { EmbeddedWidget } from '../api/operations.js';
import { humanize, t, toNumber, type Bucket, type Cell, type Formats } from './format.js';

/*
 * A widget's rows as series over keys (buckets or categories), and what the viewer is told about
 * them: what every widget card needs. Drawing them (lib/chart.ts) and tabling them (lib/table.ts)
 * are loaded only by the embeds that show a chart or a table (components/parts.svelte.ts).
 */

export interface Series {
  name: string;
  values: Array<number | null>;
}

/** The bucket a widget's keys are in: the one shown (coarser than the widget's when its range held too many). */
export const bucketOf = (widget: EmbeddedWidget): Bucket | null => widget.bucketShown ?? widget.bucket ?? null;

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

/** Whether the bucket at `i` (of `count`) covers only part of its period (the server says which ends do). */
export const partialAt = (widget: EmbeddedWidget, i: number, count: number): boolean =>
  Boolean((i === 0 && widget.partial?.first) || (i === count - 1 && widget.partial?.last));

/** "Tue, Nov 3, 2026 (partial)" — a key as a mark's label, long. */
export function keyLabel(widget: EmbeddedWidget, keys: Cell[], i: number, fmt: Formats): string {
  const bucket = bucketOf(widget);
  return bucket ? `${fmt.bucket(keys[i]!, bucket, true)}${partialAt(widget, i, keys.length) ? ` (${t('partial')})` : ''}` : fmt.cell(keys[i]!);
}

/**
 * What the viewer is told about a widget's data, short: "by day: 2,160 hours are more than 1,000
 * points", "first 5 of 180".
 */
export function notes(widget: EmbeddedWidget, fmt: Formats): string[] {
  const said: string[] = [];
  const shown = bucketOf(widget);
  const { coarser, cut } = widget;
  if (coarser && shown && widget.bucket) {
    const count = coarser.buckets === null ? '' : t(`${widget.bucket}s`, { n: fmt.number(coarser.buckets) });
    said.push(t('coarser', { by: t(`by${shown}`), count, max: fmt.number(coarser.maxPoints) }));
  }
  if (cut) said.push(t('firstOf', { n: fmt.number(cut.shown), m: fmt.number(cut.total) }));
  return said;
}
