import type { EmbeddedWidget } from '../api/operations.js';
import { language, t } from './i18n/index.js';

export { t } from './i18n/index.js';
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
/** From here on, axis ticks and the values printed on charts are written compactly ("€15K"); lib/chart-format.ts reads it too. */
export const COMPACT_FROM = 10_000;

/** `sum(minutes)` → "Sum of minutes", `count` → "Count", `first_name` → "First name": in the embed's language. */
export function humanize(column: string): string {
  const metric = /^(sum|avg|min|max)\((\w+)\)$/.exec(column);
  const words = (text: string) =>
    text
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
  const text = metric ? t(metric[1] as 'sum', { field: words(metric[2]!) }) : column === 'at' ? t('time') : column === 'count' ? t('count') : words(column);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether a caption only says the title again ("Calls" under "Calls"): then it is left out. */
export const repeats = (caption: string, title: string): boolean => caption.trim().toLowerCase() === title.trim().toLowerCase();

/** The format of a TABLE's column `index`: its own (`columnFormats`), else the widget's. */
export function columnFormat(widget: Pick<EmbeddedWidget, 'columnFormats' | 'format' | 'data'>, index: number): WidgetFormat | null {
  const column = widget.data.columns[index];
  return widget.columnFormats?.find((own) => own.column === column) ?? widget.format ?? null;
}

/**
 * Every way the embed writes a value, in one locale and one time zone: the viewer's `?locale=`, the
 * token's, else the browser's (undefined), and the zone the server cut the buckets in. `viewerZone`
 * (default: the browser's) is where the viewer's clock is: table times name their zone when it differs.
 */
export class Formats {
  readonly #locale: string | undefined;
  readonly timezone: string;
  readonly #viewerZone: string;
  readonly #cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  constructor(locale: string | null | undefined, timezone: string, viewerZone = new Intl.DateTimeFormat().resolvedOptions().timeZone) {
    this.#locale = locale ?? undefined;
    this.timezone = timezone;
    this.#viewerZone = viewerZone;
  }

  /** A number format in this locale, made once per options (public for lib/chart-format.ts, the charts' own formats). */
  numbers(options: Intl.NumberFormatOptions): Intl.NumberFormat {
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

  #dates(options: Intl.DateTimeFormatOptions, timeZone = this.timezone, locale = this.#locale): Intl.DateTimeFormat {
    const key = `d${locale}${timeZone}${JSON.stringify(options)}`;
    let format = this.#cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      this.#cache.set(key, format);
    }
    return format;
  }

  /** How a currency or a unit is written around a number (NUMBER with a unit, CURRENCY); nothing for a bare number. */
  static around(format: WidgetFormat | null | undefined): Intl.NumberFormatOptions {
    if (format?.style === 'CURRENCY') return { style: 'currency', currency: format.currency ?? 'USD' };
    return format?.unit && format.style !== 'DURATION' ? { style: 'unit', unit: format.unit, unitDisplay: 'short' } : {};
  }

  /**
   * `value` shortened ("€15K", "1,5 Mio. €", "€1.5万") with at most `digits` fraction digits, or null
   * where the locale has no shorter form for it (German thousands stay "15.000 €").
   */
  compact(value: number, around: Intl.NumberFormatOptions, digits: number): string | null {
    const format = this.numbers({ ...around, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: digits });
    return format.formatToParts(value).some((part) => part.type === 'compact') ? format.format(value) : null;
  }

  /**
   * A number as the widget's format says (NUMBER, PERCENT of a fraction, CURRENCY to its minor
   * units unless `decimals` says, DURATION, COMPACT); `short` for labels on bars and points:
   * shortened from 10 000 ("€13.1K"), else as in full.
   */
  number(value: number, format?: WidgetFormat | null, short = false): string {
    const decimals = format?.decimals ?? undefined;
    switch (format?.style) {
      case 'PERCENT':
        return this.numbers({ style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals ?? 1 }).format(value);
      case 'DURATION':
        return this.duration(value * (DURATION_SECONDS[format.unit ?? 'second'] ?? 1));
      case 'COMPACT':
        return this.numbers({ notation: 'compact', maximumFractionDigits: decimals ?? 1 }).format(value);
    }
    const around = Formats.around(format);
    const big = short && Math.abs(value) >= COMPACT_FROM;
    const compact = big ? this.compact(value, around, 1) : null;
    if (compact) return compact;
    // Without `decimals`: a currency's own minor units ("€7,500.00", "13.137,50 €", "¥7,500"), but no
    // cents on a big label the locale cannot shorten ("13.138 €"); up to 2 digits otherwise (1 on charts).
    const digits =
      decimals !== undefined
        ? { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
        : big
          ? { maximumFractionDigits: 0 }
          : around.style === 'currency'
            ? {}
            : { maximumFractionDigits: short ? 1 : 2 };
    return this.numbers({ ...around, ...digits }).format(value);
  }

  /** "Nov 1 – Nov 7" for the range `[from, to)` (the last day shown is the one before `to`); '' for all time. */
  period(from: string | null | undefined, to: string | null | undefined): string {
    return from && to ? `${this.bucket(from, 'DAY')} – ${this.bucket(new Date(Date.parse(to) - 1).toISOString(), 'DAY')}` : '';
  }

  /**
   * The zone as a viewer reads it, in the embed's language: in English by its IANA city ("Berlin
   * time", "New York time"), in another language as the browser names it there ("Mitteleuropäische
   * Zeit", "heure de l’Est nord-américain", "中央ヨーロッパ時間"), and UTC as "UTC". A browser without
   * that name says the city in the catalog's words ("Zeitzone Berlin").
   */
  zoneName(): string {
    const city = this.timezone.split('/').pop()!.replace(/_/g, ' ');
    if (/^(UTC|GMT|Etc\/)/.test(this.timezone)) return city;
    const spoken = language();
    let named: string | undefined;
    try {
      if (spoken !== 'en')
        named = this.#dates({ timeZoneName: 'longGeneric' }, this.timezone, spoken)
          .formatToParts(Date.now())
          .find((part) => part.type === 'timeZoneName')?.value;
    } catch {
      // A browser that has no generic zone names ('longGeneric' is from 2021).
    }
    return named && !/^(GMT|UTC)[+−-]/.test(named) ? named : t('zone', { zone: city });
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
      if (count > 0 && parts.length < 2) parts.push(this.numbers({ style: 'unit', unit, unitDisplay: 'short' }).format(count));
      else if (parts.length) break;
    }
    return sign + (parts.join(' ') || this.numbers({ style: 'unit', unit: 'second', unitDisplay: 'short' }).format(0));
  }

  /**
   * An instant for a table: "Dec 1, 14:52" (the year too when it is not this year), and its zone
   * ("Dec 1, 2:52 PM EST") when the viewer's own clock would read another time.
   */
  dateTime(iso: string): string {
    const date = new Date(iso);
    const thisYear = this.#dates({ year: 'numeric' }).format(new Date()) === this.#dates({ year: 'numeric' }).format(date);
    const options: Intl.DateTimeFormatOptions = {
      ...(thisYear ? {} : { year: 'numeric' }),
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    };
    const text = this.#dates(options).format(date);
    return text === this.#dates(options, this.#viewerZone).format(date) ? text : this.#dates({ ...options, timeZoneName: 'short' }).format(date);
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
    if (bucket === 'WEEK' && long) return t('weekOf', { date: this.#dates({ month: 'short', day: 'numeric', year: 'numeric' }).format(date) });
    return this.#dates(long ? { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' } : { month: 'short', day: 'numeric' }).format(date);
  }

  /** Any cell as text: numbers localised (through `format`), instants readable, booleans as words, null as an em dash. */
  cell(value: Cell, format?: WidgetFormat | null): string {
    if (value === null) return '—';
    if (typeof value === 'number') return this.number(value, format);
    if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
    return ISO_INSTANT.test(value) ? this.dateTime(value) : value;
  }
}
