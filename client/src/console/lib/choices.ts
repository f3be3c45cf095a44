/**
 * The lists the page builder offers as choices instead of free text: time zones (with their cities and
 * current offsets), ISO 4217 currencies, units, and durations for caching and refreshing.
 */

export interface Choice {
  value: string;
  label: string;
}

const supported = (key: 'timeZone' | 'currency'): string[] => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf(key) : []);

/** The zone's offset from UTC now, as people read it ("GMT+1"; "GMT" for UTC itself). */
export function offsetOf(zone: string, at = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export const cityOf = (zone: string): string => (zone.split('/').pop() ?? zone).replace(/_/g, ' ');

let zones: Choice[] | undefined;
/** Every zone the browser knows, UTC first, each labelled with its city and its offset now. */
export function timeZones(): Choice[] {
  zones ??= ['UTC', ...supported('timeZone').filter((zone) => zone !== 'UTC')].map((zone) => ({
    value: zone,
    label: zone === 'UTC' ? 'UTC (GMT)' : `${cityOf(zone)} (${offsetOf(zone)})`,
  }));
  return zones;
}

/**
 * What a person typed, as a zone: the zone itself, or a city ("berlin", "New York") resolved to its zone;
 * null when nothing matches.
 */
export function resolveTimeZone(text: string): string | null {
  const typed = text.trim();
  if (!typed) return null;
  const all = timeZones();
  const exact = all.find((zone) => zone.value.toLowerCase() === typed.toLowerCase());
  if (exact) return exact.value;
  const city = typed.replace(/\s*\(.*$/, '').toLowerCase();
  return all.find((zone) => cityOf(zone.value).toLowerCase() === city)?.value ?? null;
}

/** Used when the browser cannot list currencies: the most traded ones. */
const COMMON_CURRENCIES = [
  'USD',
  'EUR',
  'JPY',
  'GBP',
  'CNY',
  'AUD',
  'CAD',
  'CHF',
  'HKD',
  'SGD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'INR',
  'BRL',
  'MXN',
  'ZAR',
  'NZD',
];

let currencies: Choice[] | undefined;
/** ISO 4217 currencies, named in English ("EUR — Euro"). */
export function currencyChoices(): Choice[] {
  if (!currencies) {
    const names = new Intl.DisplayNames(['en'], { type: 'currency' });
    const codes = supported('currency');
    currencies = (codes.length ? codes : COMMON_CURRENCIES).map((code) => ({ value: code, label: `${code} — ${names.of(code) ?? code}` }));
  }
  return currencies;
}

/** What a DURATION value counts (the server's units for it). */
export const DURATION_UNITS: readonly Choice[] = [
  { value: 'millisecond', label: 'Milliseconds' },
  { value: 'second', label: 'Seconds' },
  { value: 'minute', label: 'Minutes' },
  { value: 'hour', label: 'Hours' },
];

/** Units written after a NUMBER or COMPACT value (units Intl.NumberFormat knows). */
export const NUMBER_UNITS: readonly Choice[] = [
  { value: '', label: 'None' },
  { value: 'minute', label: 'minutes' },
  { value: 'hour', label: 'hours' },
  { value: 'day', label: 'days' },
  { value: 'kilometer', label: 'kilometers' },
  { value: 'meter', label: 'meters' },
  { value: 'kilogram', label: 'kilograms' },
  { value: 'liter', label: 'liters' },
  { value: 'megabyte', label: 'megabytes' },
  { value: 'gigabyte', label: 'gigabytes' },
  { value: 'percent', label: 'percent' },
];

/** How long a render may be reused ("Cache results for"), in seconds as typed for the API. */
export const CACHE_FOR: readonly Choice[] = [
  { value: '0', label: 'Don’t cache (always live)' },
  { value: '10', label: '10 seconds' },
  { value: '30', label: '30 seconds' },
  { value: '60', label: '1 minute' },
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
];

/** How often an open embed reloads itself ("Refresh every"); '' for never. */
export const REFRESH_EVERY: readonly Choice[] = [
  { value: '', label: 'Never' },
  { value: '30', label: '30 seconds' },
  { value: '60', label: '1 minute' },
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
];

/** A list with `value` in it: a saved value the list does not offer is kept, as itself. */
export function withValue(choices: readonly Choice[], value: string, label = (v: string) => v): readonly Choice[] {
  return choices.some((choice) => choice.value === value) ? choices : [...choices, { value, label: label(value) }];
}
