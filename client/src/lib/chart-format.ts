import { COMPACT_FROM, Formats, type WidgetFormat } from './format.js';

/*
 * How charts write their axes and labels, and how wide those are drawn: only the chart chunk
 * (components/Chart.svelte, through lib/chart.ts) uses them, so they load with it rather than in
 * every embed's first load, as methods of lib/format.ts's `Formats` did.
 */

/**
 * About how wide `text` is drawn at `size` px in the embed's sans-serif (wide digits, as DejaVu and
 * Segoe draw them; a little over rather than under), for chart margins that fit their labels.
 */
export function textWidth(text: string, size = 12): number {
  let em = 0;
  for (const char of text) {
    em += /[.,:;'|!ilIj ]/.test(char) ? 0.32 : /[MW%€£¥₹@mw]/.test(char) ? 0.9 : char >= '\u2e80' ? 1 : /[A-Z]/.test(char) ? 0.72 : 0.64;
  }
  return em * size;
}

/** The fraction digits `value` needs to be written exactly (at most `most`). */
function placesOf(value: number, most: number): number {
  for (let places = 0; places < most; places++)
    if (Math.abs(Math.round(value * 10 ** places) / 10 ** places - value) < 1e-9 * Math.max(1, Math.abs(value))) return places;
  return most;
}

/**
 * An axis's ticks, written one way: shortened when the largest reaches 10 000 and the locale has a
 * shorter form for it ("€0", "€7.5K", "€15K"), else in full with the fraction digits the ticks need
 * ("€0", "€500", "€1,000"; "0.0", "0.5", "1.0"; a currency's minor units where any tick has cents).
 */
export function formatTicks(fmt: Formats, values: readonly number[], format?: WidgetFormat | null): string[] {
  const style = format?.style;
  if (style === 'PERCENT' || style === 'DURATION') return values.map((value) => fmt.number(value, format, true));
  const around = Formats.around(format);
  const top = Math.max(...values.map(Math.abs));
  if ((style === 'COMPACT' || top >= COMPACT_FROM) && fmt.compact(top, around, 2) !== null) {
    return values.map((value) => fmt.compact(value, around, 2) ?? fmt.numbers({ ...around, maximumFractionDigits: 0 }).format(value));
  }
  const most = format?.decimals ?? (around.style === 'currency' ? (fmt.numbers(around).resolvedOptions().maximumFractionDigits ?? 2) : 2);
  let places = Math.max(...values.map((value) => placesOf(value, most)));
  if (around.style === 'currency' && places > 0) places = most;
  return values.map((value) => fmt.numbers({ ...around, minimumFractionDigits: places, maximumFractionDigits: places }).format(value));
}

/**
 * The values printed on one chart (the totals at its bars), written alike: all shortened when the
 * largest reaches 10 000 ("€86.1K", "€7.5K"), all without cents where the locale has no shorter form
 * ("11.222 €", "9.660 €"), else as `fmt.number(…, short)` writes each.
 */
export function formatLabels(fmt: Formats, values: readonly number[], format?: WidgetFormat | null): string[] {
  const style = format?.style;
  const top = Math.max(0, ...values.map(Math.abs));
  if (top < COMPACT_FROM || style === 'PERCENT' || style === 'DURATION' || style === 'COMPACT') return values.map((value) => fmt.number(value, format, true));
  const around = Formats.around(format);
  const digits = format?.decimals !== null && format?.decimals !== undefined ? { maximumFractionDigits: format.decimals } : { maximumFractionDigits: 0 };
  return values.map((value) => fmt.compact(value, around, 1) ?? fmt.numbers({ ...around, ...digits }).format(value));
}
