import type { EmbeddedWidget } from '../api/operations.js';

export type Cell = EmbeddedWidget['data']['rows'][number][number];

const numberFormat = new Intl.NumberFormat(undefined, {
  maximumFractionDigits: 2,
});
const compactFormat = new Intl.NumberFormat(undefined, {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** A number as the viewer's locale writes it (1,234.5 / 1 234,5). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Short form for axis ticks and chart labels (12.3K). */
export function formatCompact(value: number): string {
  return Math.abs(value) < 10_000 ? numberFormat.format(value) : compactFormat.format(value);
}

/** Any cell as text: numbers localised, booleans as words, null as an em dash. */
export function formatCell(value: Cell): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return value;
}

/** A finite number, or null: numeric strings count, other cells do not. */
export function toNumber(value: Cell): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** A time bucket's label; buckets are UTC instants. */
export function formatBucket(value: Cell): string {
  if (typeof value !== 'string') return formatCell(value);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}
