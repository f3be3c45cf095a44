import type { DateRangePreset } from '../domain/types.js';
import { addDays, addMonths, truncate } from './zoned-time.js';

export const PRESETS: readonly DateRangePreset[] = [
  'TODAY',
  'YESTERDAY',
  'LAST_7_DAYS',
  'LAST_30_DAYS',
  'LAST_90_DAYS',
  'THIS_MONTH',
  'LAST_MONTH',
  'THIS_YEAR',
  'ALL_TIME',
];

export interface Bounds {
  from: Date | null;
  to: Date | null;
}

/**
 * A preset's bounds `[from, to)` at `now`, in `zone`. "Last N days" are N whole local days ending
 * with today (so "last 7 days" on a Sunday starts on Monday); months and years are calendar ones.
 * Days are local days, so one across a DST change is 23 or 25 hours.
 */
export function presetBounds(preset: DateRangePreset, now: Date, zone: string): Bounds {
  const today = truncate(now.getTime(), 'day', zone);
  const tomorrow = addDays(today, 1, zone);
  const thisMonth = truncate(now.getTime(), 'month', zone);
  const at = (from: number, to: number): Bounds => ({ from: new Date(from), to: new Date(to) });
  switch (preset) {
    case 'TODAY':
      return at(today, tomorrow);
    case 'YESTERDAY':
      return at(addDays(today, -1, zone), today);
    case 'LAST_7_DAYS':
      return at(addDays(today, -6, zone), tomorrow);
    case 'LAST_30_DAYS':
      return at(addDays(today, -29, zone), tomorrow);
    case 'LAST_90_DAYS':
      return at(addDays(today, -89, zone), tomorrow);
    case 'THIS_MONTH':
      return at(thisMonth, addMonths(thisMonth, 1, zone));
    case 'LAST_MONTH':
      return at(addMonths(thisMonth, -1, zone), thisMonth);
    case 'THIS_YEAR': {
      const year = truncate(now.getTime(), 'year', zone);
      return at(year, addMonths(year, 12, zone));
    }
    case 'ALL_TIME':
      return { from: null, to: null };
  }
}
