import { describe, expect, test } from '@jest/globals';
import { blankWidget, fromWidget, tableColumns, toWidgetInput } from '../../client/src/console/lib/widget-draft.js';

/** The console's widget editor and its column formats (client/src/console/lib/widget-draft.ts). */

const saved = {
  title: 'Latest orders',
  kind: 'TABLE' as const,
  columnFormats: [
    { column: 'amount', style: 'CURRENCY' as const, currency: 'EUR', unit: null, decimals: null },
    { column: 'minutes', style: 'DURATION' as const, currency: null, unit: 'minute', decimals: 0 },
  ],
  query: { dataset: 'orders', filters: [], select: ['customer', 'amount', 'minutes'], sort: { field: 'at', direction: 'DESC' as const }, limit: 4 },
};

describe('column formats in the widget editor', () => {
  test("a saved TABLE's column formats load into the editor and are saved again as they were", () => {
    const fields = fromWidget(saved);
    expect(fields.columnFormats).toEqual([
      { column: 'amount', style: 'CURRENCY', currency: 'EUR', unit: '', decimals: '' },
      { column: 'minutes', style: 'DURATION', currency: '', unit: 'minute', decimals: '0' },
    ]);
    expect(toWidgetInput(fields, 'Widget 1').columnFormats).toEqual([
      { column: 'amount', style: 'CURRENCY', currency: 'EUR' },
      { column: 'minutes', style: 'DURATION', unit: 'minute', decimals: 0 },
    ]);
  });

  test('a currency is upper-cased, a blank column is left out, and a widget that is no TABLE sends none', () => {
    const fields = fromWidget(saved);
    fields.columnFormats[0]!.currency = 'usd';
    fields.columnFormats.push({ column: ' ', style: 'NUMBER', currency: '', unit: '', decimals: '' });
    expect(toWidgetInput(fields, 'Widget 1').columnFormats).toEqual([
      { column: 'amount', style: 'CURRENCY', currency: 'USD' },
      { column: 'minutes', style: 'DURATION', unit: 'minute', decimals: 0 },
    ]);
    expect('columnFormats' in toWidgetInput({ ...fields, kind: 'BAR' }, 'Widget 1')).toBe(false);
    expect('columnFormats' in toWidgetInput(blankWidget('orders'), 'Widget 1')).toBe(false);
  });

  test("the columns offered are the table's as the server names them", () => {
    expect(tableColumns({ ...blankWidget('orders'), kind: 'TABLE', metricFn: '', select: 'customer, amount' })).toEqual(['customer', 'amount']);
    expect(tableColumns({ ...blankWidget('orders'), kind: 'TABLE', metricFn: 'SUM', metricField: 'amount', groupBy: 'channel' })).toEqual([
      'channel',
      'sum(amount)',
    ]);
    expect(tableColumns({ ...blankWidget('orders'), kind: 'TABLE', metricFn: 'COUNT' })).toEqual(['count']);
  });
});
