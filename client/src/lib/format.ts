import type { EmbeddedWidget } from '../api/operations.js';

export type Cell = EmbeddedWidget['data']['rows'][number][number];
export type WidgetFormat = NonNullable<EmbeddedWidget['format']>;
export type Bucket = NonNullable<EmbeddedWidget['bucket']>;

/** A finite number, or null: numeric strings count, other cells do not. */
export function toNumber(value: Cell): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION_SECONDS: Record<string, number> = { millisecond: 0.001, second: 1, minute: 60, hour: 3600 };

/** `sum(minutes)` → "Sum of minutes", `count` → "Count", `first_name` → "First name". */
export function humanize(column: string): string {
  const metric = /^(sum|avg|min|max)\((\w+)\)$/.exec(column);
  const words = (text: string) =>
    text
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
  const text = metric
    ? `${{ sum: 'sum of', avg: 'average', min: 'lowest', max: 'highest' }[metric[1]!]} ${words(metric[2]!)}`
    : column === 'at'
      ? 'time'
      : words(column);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Every way the embed writes a value, in one locale and one time zone: the viewer's `?locale=`, the
 * token's, else the browser's (undefined), and the zone the server cut the buckets in.
 */
export class Formats {
  readonly #locale: string | undefined;
  readonly timezone: string;
  readonly #cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  constructor(locale: string | null | undefined, timezone: string) {
    this.#locale = locale ?? undefined;
    this.timezone = timezone;
  }

  #numbers(options: Intl.NumberFormatOptions): Intl.NumberFormat {
    const key = JSON.stringify(options);
    let format = this.#cache.get(key) as Intl.NumberFormat | undefined;
    if (!format) {
      try {
        format = new Intl.NumberFormat(this.#locale, options);
      } catch {
        // A currency or unit this browser does not know: plain digits rather than nothing.
        format = new Intl.NumberFormat(this.#locale, { maximumFractionDigits: options.maximumFractionDigits ?? 2 });
      }
      this.#cache.set(key, format);
    }
    return format;
  }

  #dates(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = `d${JSON.stringify(options)}`;
    let format = this.#cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!format) {
      format = new Intl.DateTimeFormat(this.#locale, { ...options, timeZone: this.timezone });
      this.#cache.set(key, format);
    }
    return format;
  }

  /**
   * A number as the widget's format says (NUMBER, PERCENT of a fraction, CURRENCY, DURATION,
   * COMPACT); `short` for axis ticks and labels on bars and points.
   */
  number(value: number, format?: WidgetFormat | null, short = false): string {
    const decimals = format?.decimals ?? undefined;
    const digits = { minimumFractionDigits: decimals, maximumFractionDigits: decimals ?? (short ? 1 : 2) };
    const compact = short && Math.abs(value) >= 10_000 ? ({ notation: 'compact', maximumFractionDigits: 1 } as const) : {};
    switch (format?.style) {
      case 'PERCENT':
        return this.#numbers({ style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals ?? 1 }).format(value);
      case 'CURRENCY':
        return this.#numbers({ style: 'currency', currency: format.currency ?? 'USD', ...digits, ...compact }).format(value);
      case 'DURATION':
        return this.duration(value * (DURATION_SECONDS[format.unit ?? 'second'] ?? 1));
      case 'COMPACT':
        return this.#numbers({ notation: 'compact', maximumFractionDigits: decimals ?? 1 }).format(value);
      default:
        return format?.unit
          ? this.#numbers({ style: 'unit', unit: format.unit, unitDisplay: 'short', ...digits, ...compact }).format(value)
          : this.#numbers({ ...digits, ...compact }).format(value);
    }
  }

  /** Seconds as at most two units: "1 hr, 5 min", "4 min, 12 sec", "12 sec". */
  duration(seconds: number): string {
    const sign = seconds < 0 ? '−' : '';
    let rest = Math.round(Math.abs(seconds));
    const parts: string[] = [];
    for (const [unit, size] of [
      ['day', 86400],
      ['hour', 3600],
      ['minute', 60],
      ['second', 1],
    ] as const) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (count > 0 && parts.length < 2) parts.push(this.#numbers({ style: 'unit', unit, unitDisplay: 'short' }).format(count));
      else if (parts.length) break;
    }
    return sign + (parts.join(' ') || this.#numbers({ style: 'unit', unit: 'second', unitDisplay: 'short' }).format(0));
  }

  /** An instant for a table: "Dec 1, 14:52" (the year too when it is not this year). */
  dateTime(iso: string): string {
    const date = new Date(iso);
    const thisYear = this.#dates({ year: 'numeric' }).format(new Date()) === this.#dates({ year: 'numeric' }).format(date);
    return this.#dates({ ...(thisYear ? {} : { year: 'numeric' }), month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
  }

  /** A time bucket's start: `long` for tooltips ("Tue, Nov 3, 14:00"), otherwise an axis label ("Nov 3", "14:00"). */
  bucket(value: Cell, bucket: Bucket | null | undefined, long = false): string {
    if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return this.cell(value);
    const date = new Date(value);
    if (bucket === 'HOUR')
      return this.#dates(
        long ? { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
      ).format(date);
    if (bucket === 'MONTH') return this.#dates(long ? { month: 'long', year: 'numeric' } : { month: 'short', year: '2-digit' }).format(date);
    if (bucket === 'WEEK' && long) return `Week of ${this.#dates({ month: 'short', day: 'numeric', year: 'numeric' }).format(date)}`;
    return this.#dates(long ? { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' } : { month: 'short', day: 'numeric' }).format(date);
  }

  /** Any cell as text: numbers localised (through `format`), instants readable, booleans as words, null as an em dash. */
  cell(value: Cell, format?: WidgetFormat | null): string {
    if (value === null) return '—';
    if (typeof value === 'number') return this.number(value, format);
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    return ISO_INSTANT.test(value) ? this.dateTime(value) : value;
  }
}
