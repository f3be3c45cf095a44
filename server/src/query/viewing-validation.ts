import { badInput } from '../errors.js';
import { PRESETS } from './date-range.js';
import { canonicalZone } from './zoned-time.js';
import type { ColumnFormat, DateRangePreset, DateRangeSettings, FormatStyle, RangeChoice, WidgetFormat, WidgetKind } from '../domain/types.js';

const MAX_DAYS_CAP = 3660;
const STYLES: readonly FormatStyle[] = ['NUMBER', 'PERCENT', 'CURRENCY', 'DURATION', 'COMPACT'];
const DURATION_UNITS = ['millisecond', 'second', 'minute', 'hour'];
const CURRENCY = /^[A-Z]{3}$/;
const UNIT = /^[a-z]+(-[a-z]+){0,3}$/;

/** A zone saved on a page or minted into a token: a known IANA name, canonically spelled, or BAD_USER_INPUT. */
export function parseTimezone(zone: string, where: string): string {
  const canonical = canonicalZone(zone);
  if (!canonical) throw badInput(`${where}: "${zone.slice(0, 64)}" is not a known IANA time zone (such as America/New_York or UTC).`);
  return canonical;
}

/** A BCP 47 locale (de-DE, en-GB), canonically spelled, or BAD_USER_INPUT. */
export function parseLocale(locale: string, where: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical && canonical.length <= 35) return canonical;
  } catch {
    // falls through to the refusal
  }
  throw badInput(`${where}: "${locale.slice(0, 35)}" is not a locale such as en-US or de-DE.`);
}

/** A page's `dateRange`: presets known and not repeated, a default among them, 1–3660 days. */
export function parseDateRangeSettings(input: {
  default?: DateRangePreset | null;
  presets?: readonly DateRangePreset[] | null;
  maxDays?: number | null;
}): DateRangeSettings {
  const presets = [...new Set(input.presets ?? PRESETS)];
  if (presets.length === 0 || !presets.every((preset) => PRESETS.includes(preset))) throw badInput('dateRange.presets: name at least one known preset.');
  const fallback: DateRangePreset = presets.includes('LAST_30_DAYS') ? 'LAST_30_DAYS' : presets[0]!;
  const chosen = input.default ?? fallback;
  if (!presets.includes(chosen)) throw badInput('dateRange.default must be one of dateRange.presets.');
  const maxDays = input.maxDays ?? 366;
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_DAYS_CAP) throw badInput(`dateRange.maxDays must be 1–${MAX_DAYS_CAP}.`);
  return { default: chosen, presets: PRESETS.filter((preset) => presets.includes(preset)), maxDays };
}

/** A range minted into a token: a preset, or `from` before `to`. */
export function parseRangeChoice(input: { preset?: DateRangePreset | null; from?: Date | null; to?: Date | null }, where: string): RangeChoice {
  if (input.preset && !input.from && !input.to) return { preset: input.preset };
  if (!input.preset && input.from && input.to && input.to.getTime() > input.from.getTime()) return { from: input.from, to: input.to };
  throw badInput(`${where}: give a preset, or from and to with to after from.`);
}

/** A widget's number format. */
export function parseFormat(
  input: { style: FormatStyle; currency?: string | null; unit?: string | null; decimals?: number | null },
  where: string,
): WidgetFormat {
  if (!STYLES.includes(input.style)) throw badInput(`${where}.style is unknown.`);
  const currency = input.currency ?? null;
  const unit = input.unit ?? null;
  const decimals = input.decimals ?? null;
  if (input.style === 'CURRENCY' && (!currency || !CURRENCY.test(currency))) throw badInput(`${where}.currency: CURRENCY needs an ISO 4217 code such as EUR.`);
  if (currency !== null && !CURRENCY.test(currency)) throw badInput(`${where}.currency must be an ISO 4217 code such as EUR.`);
  if (unit !== null && (!UNIT.test(unit) || unit.length > 40)) throw badInput(`${where}.unit must be a unit name such as minute or kilometer.`);
  if (input.style === 'DURATION' && unit !== null && !DURATION_UNITS.includes(unit))
    throw badInput(`${where}.unit: DURATION counts ${DURATION_UNITS.join(', ')}.`);
  if (decimals !== null && (!Number.isInteger(decimals) || decimals < 0 || decimals > 6)) throw badInput(`${where}.decimals must be 0–6.`);
  return { style: input.style, currency, unit, decimals };
}

type FormatInput = Parameters<typeof parseFormat>[0];

/**
 * A TABLE's per-column formats: each names one of the columns the widget's data has (`columns`, as
 * the compiler names them: a selected field, the groupBy field or `at`, the metric such as
 * `sum(revenue)`), at most once, with a format as `parseFormat` checks it. Other kinds have one value
 * column, which the widget's own `format` covers.
 */
export function parseColumnFormats(
  input: ReadonlyArray<FormatInput & { column: string }>,
  kind: WidgetKind,
  columns: readonly string[],
  where: string,
): ColumnFormat[] | null {
  if (input.length === 0) return null;
  if (kind !== 'TABLE') throw badInput(`${where}: columnFormats are for TABLE widgets; give a ${kind} its format.`);
  const seen = new Set<string>();
  return input.map((entry, index) => {
    const at = `${where}[${index}]`;
    if (!columns.includes(entry.column)) {
      throw badInput(`${at}.column: "${entry.column.slice(0, 64)}" is not a column of this widget (${columns.join(', ')}).`);
    }
    if (seen.has(entry.column)) throw badInput(`${at}.column: "${entry.column}" has a format already.`);
    seen.add(entry.column);
    return { column: entry.column, ...parseFormat(entry, at) };
  });
}
