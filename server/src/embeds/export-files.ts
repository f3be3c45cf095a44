import type { Writable } from 'node:stream';
import type { ExportFormatValue, WidgetFormat } from '../domain/types.js';
import type { EmbeddedWidget } from './renderer.js';

/**
 * Export files of one rendered widget: the rows the embed shows, in its order, as CSV (by hand,
 * RFC 4180 quoting) or XLSX (exceljs, streamed). Nothing in a cell is ever a formula: a text
 * cell that a spreadsheet would read as one (starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return) is written as text, in both formats (CSV injection, OWASP).
 */

/** What one export holds: the widget as rendered, at most `maxRows` of its rows, and the zone its times are in. */
export interface ExportContent {
  widget: EmbeddedWidget;
  maxRows: number;
  timezone: string;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  /** Rows written (after the cap). */
  rows: number;
  /** Streams the file into `out` and ends it. */
  write(out: Writable): Promise<void>;
}

const CONTENT_TYPES: Record<ExportFormatValue, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Starts a spreadsheet reads as a formula (or, for tab and CR, as a cell break that hides one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as text: a leading apostrophe is what spreadsheets themselves use to mark one. */
export const neutralised = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** The column headings: the widget's labels where it has them, else the data's column names. */
const headingsOf = (widget: EmbeddedWidget): string[] => widget.data.columns.map((column, index) => widget.columnLabels?.[index] ?? column);

/** The line a cut file ends with, or null when the file holds every row the query matched. */
function cutNote(widget: EmbeddedWidget, maxRows: number): string | null {
  const rendered = widget.data.rows.length;
  if (rendered > maxRows) return `Cut: this file holds the first ${maxRows} of the ${rendered} rows the widget shows (PORTHOLE_MAX_EXPORT_ROWS).`;
  if (widget.cut) return `Cut: the widget shows the first ${widget.cut.shown} of the ${widget.cut.total} rows its query matched.`;
  return null;
}

/** A safe file name from the widget's title. */
const fileNameOf = (widget: EmbeddedWidget, format: ExportFormatValue): string =>
  `${
    widget.title
      .replace(/[^\p{L}\p{N} _.-]+/gu, '')
      .trim()
      .slice(0, 80) || 'export'
  }.${format}`;

/** One CSV field: numbers as they are, text quoted when it must be (and neutralised), null empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = neutralised(typeof value === 'string' ? value : JSON.stringify(value));
  return /[",\r\n]|^\s|\s$/.test(text) || text.startsWith("'") ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** Writes `chunk`, waiting for the stream to drain when it asks (a slow client holds no memory). */
function put(out: Writable, chunk: string): Promise<void> {
  return out.write(chunk) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
}

/**
 * The Excel number format for a widget format: currencies with their code, percents of
 * fractions, fixed decimals where given. DURATION stays a plain number of its unit (named in the heading).
 */
export function excelNumberFormat(format: WidgetFormat | null | undefined): string | null {
  if (!format) return null;
  const decimals = format.decimals ?? (format.style === 'CURRENCY' ? 2 : null);
  const fraction = decimals && decimals > 0 ? `.${'0'.repeat(decimals)}` : decimals === 0 ? '' : '.##';
  const number = `#,##0${fraction}`;
  switch (format.style) {
    case 'CURRENCY':
      return `[$${format.currency ?? 'USD'}] ${number}`;
    case 'PERCENT':
      return `0${decimals && decimals > 0 ? `.${'0'.repeat(decimals)}` : ''}%`;
    case 'COMPACT':
      return '#,##0';
    case 'DURATION':
      return null;
    default:
      return format.unit ? `${number} "${format.unit.replace(/"/g, '')}"` : decimals !== null ? number : null;
  }
}

/** Each column's format: a TABLE column's own, else the widget's for its last column (the metric). */
function columnFormatsOf(widget: EmbeddedWidget): Array<WidgetFormat | null> {
  const columns = widget.data.columns;
  return columns.map((column, index) => {
    const own = widget.columnFormats?.find((format) => format.column === column);
    if (own) return own;
    return index === columns.length - 1 && columns.length > 1 ? widget.format : columns.length === 1 ? widget.format : null;
  });
}

/** An instant as the wall time of `timezone`, as a Date whose UTC fields hold it (spreadsheet dates have no zone). */
function wallTime(iso: string, timezone: string): Date | null {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return new Date(
    Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second'])),
  );
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The file of one widget in one format. */
export function exportFile(format: ExportFormatValue, content: ExportContent): ExportFile {
  const { widget, maxRows } = content;
  const rows = widget.data.rows.slice(0, maxRows);
  const note = cutNote(widget, maxRows);
  const base = { filename: fileNameOf(widget, format), contentType: CONTENT_TYPES[format], rows: rows.length };
  if (format === 'csv') {
    return {
      ...base,
      async write(out) {
        // A byte order mark, so spreadsheet programs read the file as UTF-8.
        await put(out, `\uFEFF${csvLine(headingsOf(widget))}`);
        for (const row of rows) await put(out, csvLine(row));
        if (note) await put(out, csvLine([note]));
        out.end();
      },
    };
  }
  return { ...base, write: (out) => writeXlsx(out, content, rows, note) };
}

async function writeXlsx(out: Writable, { widget, timezone }: ExportContent, rows: ReadonlyArray<readonly unknown[]>, note: string | null): Promise<void> {
  // Loaded on the first spreadsheet export only: the server starts without it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(widget.title.replace(/[[\]*?:/\\]/g, ' ').slice(0, 31) || 'Export');
  const formats = columnFormatsOf(widget).map(excelNumberFormat);
  const timeColumn = widget.bucketShown ? 0 : -1;
  const dateFormat = widget.bucketShown === 'HOUR' ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
  sheet.columns = headingsOf(widget).map((header, index) => ({
    header,
    width: Math.max(12, Math.min(40, header.length + 4)),
    ...(index === timeColumn ? { style: { numFmt: dateFormat } } : formats[index] ? { style: { numFmt: formats[index] } } : {}),
  }));
  for (const row of rows) {
    sheet
      .addRow(
        row.map((value, index) => {
          if (index === timeColumn && typeof value === 'string' && ISO_INSTANT.test(value)) return wallTime(value, timezone) ?? value;
          // Text stays text (a string cell is never a formula); the apostrophe says so to a reader too.
          if (typeof value === 'string') return neutralised(value);
          if (value !== null && typeof value === 'object') return neutralised(JSON.stringify(value));
          return value ?? null;
        }),
      )
      .commit();
  }
  if (note) sheet.addRow([note]).commit();
  sheet.commit();
  await workbook.commit();
}
