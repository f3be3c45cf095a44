import type { EmbeddedWidget } from '../api/operations.js';
import { keyLabel, pivot } from './series.js';
import { columnFormat, humanize, type Formats } from './format.js';

/** A table as components/DataTable.svelte shows it: headers, cells as text, and which columns hold numbers. */
export interface TableModel {
  head: string[];
  rows: string[][];
  /** Right-aligned with tabular digits, so decimals line up. */
  num: boolean[];
}

/**
 * A TABLE widget's data: column headers (`columnLabels`, else readable field names), and every
 * cell written as its column's format says (`columnFormats`, else the widget's).
 */
export function widgetTable(widget: EmbeddedWidget, fmt: Formats): TableModel {
  const { columns, rows } = widget.data;
  return {
    head: columns.map(
      (column, i) => widget.columnLabels?.[i] ?? (i === columns.length - 1 && widget.label && !widget.columnLabels ? widget.label : humanize(column)),
    ),
    rows: rows.map((row) => row.map((cell, i) => fmt.cell(cell, columnFormat(widget, i)))),
    num: columns.map((_, i) => rows.some((row) => typeof row[i] === 'number')),
  };
}

/** A chart's data as a table ("Show as table"): one row per bucket or category, one column per series. */
export function chartTable(widget: EmbeddedWidget, fmt: Formats): TableModel {
  const { keys, series } = pivot(widget);
  return {
    head: [humanize(widget.data.columns[0] ?? ''), ...series.map((s) => s.name)],
    rows: keys.map((_, i) => [keyLabel(widget, keys, i, fmt), ...series.map((s) => (s.values[i] === null ? '—' : fmt.number(s.values[i]!, widget.format)))]),
    num: [false, ...series.map(() => true)],
  };
}
