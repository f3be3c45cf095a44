/**
 * Calendar arithmetic in an IANA time zone, with nothing but `Intl` (the zone data Node ships).
 *
 * Used twice, so both agree to the millisecond: by the memory adapter's `$dateTrunc` (mingo 7.2.7's
 * own is wrong for IANA zones) and by the compiler's gap filling and date-range presets.
 */

import type { Weekday } from '../domain/types.js';

export type { Weekday };
export type TimeUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

export const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** A zone name as MongoDB takes it: an Olson name (`Area/City`, `UTC`), not an offset. */
const ZONE_PATTERN = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * A known IANA zone as MongoDB's zone database spells it (`america/new_york` → `America/New_York`),
 * or null for anything else, offsets included. An alias stays as given: ICU would turn
 * `Asia/Kolkata` into its older name `Asia/Calcutta`, which nobody wants to read.
 */
export function canonicalZone(zone: unknown): string | null {
  if (typeof zone !== 'string' || zone.length > 64 || !ZONE_PATTERN.test(zone)) return null;
  // Building a DateTimeFormat costs tens of microseconds; `$dateTrunc` asks once per record.
  const known = canonicalNames.get(zone);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    canonical = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  } catch {
    canonical = null;
  }
  if (canonicalNames.size > 1000) canonicalNames.clear();
  canonicalNames.set(zone, canonical);
  return canonical;
}

const canonicalNames = new Map<string, string | null>();

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset from UTC at `instant`, in milliseconds (New York in winter: −5 h), read from
 * `Intl` once per zone and quarter hour: offsets change only on quarter hours (UTC), and
 * formatToParts is far too slow to call once per record of an aggregation.
 */
function offsetAt(instant: number, zone: string): number {
  if (zone === 'UTC') return 0;
  let byQuarter = offsets.get(zone);
  if (!byQuarter) offsets.set(zone, (byQuarter = new Map()));
  const quarter = Math.floor(instant / QUARTER_HOUR);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR;
    const parts: Record<string, number> = {};
    for (const part of formatterFor(zone).formatToParts(start)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    offset = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!) - start;
    if (byQuarter.size > 200_000) byQuarter.clear();
    byQuarter.set(quarter, offset);
  }
  return offset;
}

/** What a wall clock in `zone` reads at `instant` (milliseconds dropped). */
export function wallClock(instant: number, zone: string): WallClock {
  const local = new Date(instant + offsetAt(instant, zone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/**
 * The first instant at which `zone`'s wall clock reads the given local time. The day, month and
 * year may overflow (day 0, month 13), as with `Date.UTC`. A time skipped by a DST change resolves
 * to the instant just after the gap, as MongoDB does.
 */
export function instantOf(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at a first guess may differ from the offset at the answer, so try both offsets.
  const first = local - offsetAt(local, zone);
  const candidates = [first, local - offsetAt(first, zone)].sort((a, b) => a - b);
  const reads = (instant: number) => instant + offsetAt(instant, zone) === local;
  // Clocks back: two instants read `local`, take the earlier. Clocks forward over `local`: none
  // does, and the later candidate is where the skipped time resumes.
  return candidates.find(reads) ?? candidates[1]!;
}

/** 0 for Monday … 6 for Sunday. */
const weekdayIndex = (year: number, month: number, day: number): number => (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;

/**
 * The start of the `unit` that `instant` falls in, in `zone`: a New York day is 23, 24 or 25 hours,
 * a Kolkata hour starts at :30 UTC. Weeks start on `weekStart`.
 */
export function truncate(instant: number, unit: TimeUnit, zone: string, weekStart: Weekday = 'MONDAY'): number {
  const clock = wallClock(instant, zone);
  switch (unit) {
    case 'hour':
      // Subtracting the minutes and seconds keeps the two 1 a.m. hours of a clocks-back night apart.
      return instant - (((instant % 1000) + 1000) % 1000) - (clock.minute * 60 + clock.second) * 1000;
    case 'day':
      return instantOf(zone, clock.year, clock.month, clock.day);
    case 'week': {
      const back = (weekdayIndex(clock.year, clock.month, clock.day) - WEEKDAYS.indexOf(weekStart) + 7) % 7;
      return instantOf(zone, clock.year, clock.month, clock.day - back);
    }
    case 'month':
      return instantOf(zone, clock.year, clock.month, 1);
    case 'year':
      return instantOf(zone, clock.year, 1, 1);
  }
}

/** The start of the `unit` after the one that starts at `start` (which must be a unit's start). */
export function nextStart(start: number, unit: TimeUnit, zone: string): number {
  if (unit === 'hour') return start + 3_600_000;
  const clock = wallClock(start, zone);
  if (unit === 'day') return instantOf(zone, clock.year, clock.month, clock.day + 1);
  if (unit === 'week') return instantOf(zone, clock.year, clock.month, clock.day + 7);
  if (unit === 'month') return instantOf(zone, clock.year, clock.month + 1, 1);
  return instantOf(zone, clock.year + 1, 1, 1);
}

/** `days` whole local days after the day that starts at `dayStart` (negative: before). */
export function addDays(dayStart: number, days: number, zone: string): number {
  const clock = wallClock(dayStart, zone);
  return instantOf(zone, clock.year, clock.month, clock.day + days);
}

/** `months` local months after the month that starts at `monthStart`. */
export function addMonths(monthStart: number, months: number, zone: string): number {
  const clock = wallClock(monthStart, zone);
  return instantOf(zone, clock.year, clock.month + months, 1);
}
