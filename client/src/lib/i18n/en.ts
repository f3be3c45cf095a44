import type { enSignIn } from './en-sign-in.js';

/**
 * The embed's own words in English, built into every embed (but the sign-in prompt's: ./en-sign-in.ts,
 * loaded with the prompt); lib/i18n/index.ts loads another
 * language's catalog (de.ts, fr.ts, es.ts, ja.ts: each must translate every key) only when it is
 * used. `{name}` marks a value filled in by `t`.
 */
export const en = {
  // The range picker and the period line beside it ("Nov 8 – Dec 7 · Berlin time").
  range: 'Date range',
  TODAY: 'Today',
  YESTERDAY: 'Yesterday',
  LAST_7_DAYS: 'Last 7 days',
  LAST_30_DAYS: 'Last 30 days',
  LAST_90_DAYS: 'Last 90 days',
  THIS_MONTH: 'This month',
  LAST_MONTH: 'Last month',
  THIS_YEAR: 'This year',
  ALL_TIME: 'All time',
  zone: '{zone} time',
  // States of the whole embed, and of a widget without rows.
  loading: 'Loading…',
  unavailable: 'This embed is unavailable.',
  ended: 'This view has ended. Reload the page to see current data.',
  error: 'This embed could not be loaded right now. Retrying shortly…',
  empty: 'Nothing to show yet.',
  noData: 'No data',
  noDataPeriod: 'No data for this period.',
  // Captions, axis titles and column headers made from a query's column names (`{field}`: the field as written).
  count: 'Count',
  time: 'Time',
  sum: 'Sum of {field}',
  avg: 'Average {field}',
  min: 'Lowest {field}',
  max: 'Highest {field}',
  yes: 'Yes',
  no: 'No',
  weekOf: 'Week of {date}',
  // Notes on a widget: a series shown by a coarser bucket ("by day: 2,160 hours are more than 1,000 points"), rows cut.
  coarser: '{by}: {count} are more than {max} points',
  byHOUR: 'by hour',
  byDAY: 'by day',
  byWEEK: 'by week',
  byMONTH: 'by month',
  HOURs: '{n} hours',
  DAYs: '{n} days',
  WEEKs: '{n} weeks',
  MONTHs: '{n} months',
  firstOf: 'first {n} of {m}',
  partial: 'partial',
  showTable: 'Show as table',
  showChart: 'Show as chart',
};

export type MessageKey = keyof typeof en | keyof typeof enSignIn;
/** A whole catalog: every key translated (the type checker says which one is missing). */
export type Catalog = Record<MessageKey, string>;
