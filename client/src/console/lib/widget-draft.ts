import type { Bucket, Dataset, FormatStyle, MetricFn, RuleOp, SortDirection, WidgetInput, WidgetKind } from '../api/console-api';
import { toRuleInputs, type RuleDraft } from './rules';
// The server's own suggestion (a pure module): the console hints exactly what the API's errors would say.
import { closestName } from '../../../../server/src/catalog/closest.js';

/** One widget as the editor holds it: text where a person types, choices where they pick. */
export interface WidgetFields {
  kind: WidgetKind;
  title: string;
  dataset: string;
  /** '' for no metric (a TABLE of records). */
  metricFn: MetricFn | '';
  metricField: string;
  groupBy: string;
  bucket: Bucket | '';
  filters: RuleDraft[];
  /** Comma-separated field names, for a TABLE of records. */
  select: string;
  sortField: string;
  sortDirection: SortDirection;
  limit: string;
  /** LINE / BAR over a bucket: one series per value of this field. */
  seriesBy: string;
  /** The metric's name as viewers read it; '' for the default. */
  label: string;
  formatStyle: FormatStyle | '';
  currency: string;
  unit: string;
  decimals: string;
  /** TABLE: formats of single columns (money in one, minutes in another). */
  columnFormats: ColumnFormatFields[];
}

/** One TABLE column's format as the editor holds it (components/ColumnFormatsFields.svelte). */
export interface ColumnFormatFields {
  column: string;
  style: FormatStyle;
  currency: string;
  unit: string;
  decimals: string;
}

export const FORMAT_STYLES: ReadonlyArray<{ style: FormatStyle; label: string }> = [
  { style: 'NUMBER', label: 'Number' },
  { style: 'PERCENT', label: 'Percent' },
  { style: 'CURRENCY', label: 'Currency' },
  { style: 'DURATION', label: 'Duration' },
  { style: 'COMPACT', label: 'Compact (1.2K)' },
];

export const KINDS: ReadonlyArray<{ kind: WidgetKind; label: string }> = [
  { kind: 'NUMBER', label: 'Number' },
  { kind: 'BAR', label: 'Bar chart' },
  { kind: 'LINE', label: 'Line chart' },
  { kind: 'TABLE', label: 'Table' },
];
export const METRICS: ReadonlyArray<{ fn: MetricFn; label: string }> = [
  { fn: 'COUNT', label: 'Count of records' },
  { fn: 'SUM', label: 'Sum of' },
  { fn: 'AVG', label: 'Average of' },
  { fn: 'MIN', label: 'Minimum of' },
  { fn: 'MAX', label: 'Maximum of' },
];
export const BUCKETS: ReadonlyArray<{ bucket: Bucket; label: string }> = [
  { bucket: 'HOUR', label: 'Hour' },
  { bucket: 'DAY', label: 'Day' },
  { bucket: 'WEEK', label: 'Week' },
  { bucket: 'MONTH', label: 'Month' },
];

export const needsNumber = (fn: MetricFn | ''): boolean => fn !== '' && fn !== 'COUNT';

export function blankWidget(dataset = ''): WidgetFields {
  return {
    kind: 'NUMBER',
    title: '',
    dataset,
    metricFn: 'COUNT',
    metricField: '',
    groupBy: '',
    bucket: '',
    filters: [],
    select: '',
    sortField: '',
    sortDirection: 'DESC',
    limit: '',
    seriesBy: '',
    label: '',
    formatStyle: '',
    currency: '',
    unit: '',
    decimals: '',
    columnFormats: [],
  };
}

/** What each kind uses: a NUMBER no grouping, a LINE a time bucket, a BAR either grouping, a TABLE a metric or a select. */
export function usesOf(fields: Pick<WidgetFields, 'kind' | 'metricFn'>) {
  const { kind, metricFn } = fields;
  return {
    groupBy: kind === 'BAR' || (kind === 'TABLE' && metricFn !== ''),
    bucket: kind === 'BAR' || kind === 'LINE',
    select: kind === 'TABLE' && metricFn === '',
    metricOptional: kind === 'TABLE',
    sortAndLimit: kind !== 'NUMBER',
  };
}

const list = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);

/** A format as the API takes it: a currency for CURRENCY, a unit for the other styles but PERCENT, decimals when typed. */
function formatInput({ style, currency, unit, decimals }: Pick<ColumnFormatFields, 'style' | 'currency' | 'unit' | 'decimals'>) {
  const places = Number.parseInt(decimals, 10);
  return {
    style,
    ...(style === 'CURRENCY' && currency.trim() ? { currency: currency.trim().toUpperCase() } : {}),
    ...(style !== 'CURRENCY' && style !== 'PERCENT' && unit.trim() ? { unit: unit.trim() } : {}),
    ...(Number.isInteger(places) ? { decimals: places } : {}),
  };
}

/** The widget as the API takes it; fields a kind does not use are left out. */
export function toWidgetInput(fields: WidgetFields, fallbackTitle: string): WidgetInput {
  const uses = usesOf(fields);
  const metricFn = fields.metricFn === '' && !uses.metricOptional ? 'COUNT' : fields.metricFn;
  const limit = Number.parseInt(fields.limit, 10);
  const groupBy = uses.groupBy && !(uses.bucket && fields.bucket) ? fields.groupBy.trim() : '';
  const format = fields.formatStyle ? formatInput({ ...fields, style: fields.formatStyle }) : null;
  const columnFormats =
    fields.kind === 'TABLE' ? fields.columnFormats.filter((one) => one.column.trim()).map((one) => ({ column: one.column.trim(), ...formatInput(one) })) : [];
  return {
    title: fields.title.trim() || fallbackTitle,
    kind: fields.kind,
    ...(fields.label.trim() ? { label: fields.label.trim() } : {}),
    ...(format ? { format } : {}),
    ...(columnFormats.length ? { columnFormats } : {}),
    query: {
      ...(uses.bucket && fields.bucket && !groupBy && fields.seriesBy.trim() ? { seriesBy: fields.seriesBy.trim() } : {}),
      dataset: fields.dataset.trim(),
      filters: toRuleInputs(fields.filters),
      ...(metricFn ? { metric: { fn: metricFn, ...(needsNumber(metricFn) ? { field: fields.metricField.trim() } : {}) } } : {}),
      ...(groupBy ? { groupBy } : {}),
      ...(uses.bucket && fields.bucket && !groupBy ? { bucket: fields.bucket } : {}),
      ...(uses.select && list(fields.select).length ? { select: list(fields.select) } : {}),
      ...(uses.sortAndLimit && fields.sortField.trim() ? { sort: { field: fields.sortField.trim(), direction: fields.sortDirection } } : {}),
      ...(uses.sortAndLimit && limit > 0 ? { limit } : {}),
    },
  };
}

interface SavedWidget {
  title: string;
  kind: WidgetKind;
  label?: string | null;
  format?: { style: FormatStyle; currency?: string | null; unit?: string | null; decimals?: number | null } | null;
  columnFormats?: ReadonlyArray<{ column: string; style: FormatStyle; currency?: string | null; unit?: string | null; decimals?: number | null }> | null;
  query: {
    seriesBy?: string | null;
    dataset: string;
    filters: ReadonlyArray<{ field: string; op: RuleOp; value?: unknown }>;
    groupBy?: string | null;
    bucket?: Bucket | null;
    metric?: { fn: MetricFn; field?: string | null } | null;
    select?: readonly string[] | null;
    sort?: { field: string; direction: SortDirection } | null;
    limit?: number | null;
  };
}

/** A saved widget back into editable fields. */
export function fromWidget({ title, kind, label, format, columnFormats, query }: SavedWidget): WidgetFields {
  return {
    columnFormats: (columnFormats ?? []).map((one) => ({
      column: one.column,
      style: one.style,
      currency: one.currency ?? '',
      unit: one.unit ?? '',
      decimals: one.decimals != null ? String(one.decimals) : '',
    })),
    seriesBy: query.seriesBy ?? '',
    label: label ?? '',
    formatStyle: format?.style ?? '',
    currency: format?.currency ?? '',
    unit: format?.unit ?? '',
    decimals: format?.decimals != null ? String(format.decimals) : '',
    kind,
    title,
    dataset: query.dataset,
    metricFn: query.metric?.fn ?? '',
    metricField: query.metric?.field ?? '',
    groupBy: query.groupBy ?? '',
    bucket: query.bucket ?? '',
    filters: query.filters.map((rule) => ({
      field: rule.field,
      op: rule.op,
      value: Array.isArray(rule.value) ? rule.value.join(', ') : rule.value == null ? '' : String(rule.value),
    })),
    select: (query.select ?? []).join(', '),
    sortField: query.sort?.field ?? '',
    sortDirection: query.sort?.direction ?? 'DESC',
    limit: query.limit ? String(query.limit) : '',
  };
}

/** A TABLE's columns as the server names them: its selected fields, or its grouping and its metric (`count`, `sum(amount)`). */
export function tableColumns(fields: WidgetFields): string[] {
  if (fields.metricFn === '') return list(fields.select);
  const metric = fields.metricFn === 'COUNT' ? 'count' : `${fields.metricFn.toLowerCase()}(${fields.metricField.trim()})`;
  return [...(fields.groupBy.trim() ? [fields.groupBy.trim()] : []), metric];
}

/** A field name checked against the catalog while it is typed: null when it resolves (or nothing is typed). */
export function fieldHint(field: string, dataset: Dataset | undefined, numberOnly = false): string | null {
  const name = field.trim();
  if (!name || !dataset) return null;
  const known = dataset.fields.filter((entry) => entry.count > 0 || entry.name === 'at' || entry.name === 'owner');
  const found = known.find((entry) => entry.name === name);
  if (!found) {
    const suggestion = closestName(
      name,
      known.map((entry) => entry.name),
    );
    return `Unknown field "${name}" in dataset "${dataset.name}"${suggestion ? `; did you mean "${suggestion}"?` : '.'}`;
  }
  if (numberOnly && !found.types.includes('NUMBER')) return `"${name}" is not a number field.`;
  return null;
}

/** A dataset name checked against the catalog: pages may name a dataset before its first record. */
export function datasetHint(name: string, datasets: readonly Dataset[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Choose a dataset.';
  if (datasets.some((dataset) => dataset.name === trimmed)) return null;
  const suggestion = closestName(
    trimmed,
    datasets.map((dataset) => dataset.name),
  );
  return `Dataset "${trimmed}" has no records yet${suggestion ? `; did you mean "${suggestion}"?` : '.'}`;
}
