import type { DatasetDoc, DatasetFieldDoc, FieldType, PrincipalDoc, RecordDoc, WidgetDoc, WidgetQuery } from '../domain/types.js';
import { assertDatasetName, assertFieldName } from '../domain/validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput } from '../errors.js';
import { authorize } from '../policies/policies.js';
import { compileDatasetCensus, compileFieldCensus, compileFieldValues, type Scope } from '../query/compiler.js';
import type { Accumulate, Store } from '../store/port.js';
import { closestName } from './closest.js';

export const FIELD_TYPES: readonly FieldType[] = ['NUMBER', 'STRING', 'BOOLEAN', 'DATE'];
export const DEFAULT_VALUES_LIMIT = 20;
export const MAX_VALUES_LIMIT = 100;
/** `owner` and `at` live beside the data of every record, so every dataset has them. */
const RECORD_FIELDS: ReadonlyArray<{ name: string; type: FieldType }> = [
  { name: 'owner', type: 'STRING' },
  { name: 'at', type: 'DATE' },
];
/**
 * An ISO date or date-time whose parts are in range, as `Date.parse` reads them (months 01–12, days
 * 01–31, 24:00 only on the hour, offsets below 24 h). One pattern, no parse: the store can apply the
 * same test when the catalog is counted again from the records (`compileFieldCensus`).
 */
const ISO_DATE_PATTERN =
  '^\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:[T ](?:(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?|24:00(?::00(?:\\.0+)?)?)(?:Z|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)?)?$';
const ISO_DATE = new RegExp(ISO_DATE_PATTERN);
const NUMERIC_FNS = new Set(['SUM', 'AVG', 'MIN', 'MAX']);

export interface DatasetField {
  name: string;
  types: FieldType[];
  count: number;
}

export interface Dataset {
  name: string;
  recordCount: number;
  lastRecordAt: Date;
  /** When an ingest last stored a record; null for datasets last written before this was kept. */
  lastIngestedAt: Date | null;
  fields: DatasetField[];
}

/** The type a stored value is observed as; objects, lists and null are not counted. */
export function typeOf(value: unknown): FieldType | null {
  if (typeof value === 'number') return Number.isFinite(value) ? 'NUMBER' : null;
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (value instanceof Date) return 'DATE';
  if (typeof value === 'string') return ISO_DATE.test(value) ? 'DATE' : 'STRING';
  return null;
}

const datasetId = (workspaceId: string, dataset: string): string => `${workspaceId}/${dataset}`;
const fieldId = (workspaceId: string, dataset: string, field: string): string => `${workspaceId}/${dataset}/${field}`;
const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/** The fields a widget's query names, with where each is named (for messages). */
function fieldsNamed(query: WidgetQuery): Array<{ field: string; role: string }> {
  const named: Array<{ field: string; role: string }> = query.filters.map((rule) => ({ field: rule.field, role: 'filter' }));
  if (query.groupBy) named.push({ field: query.groupBy, role: 'groupBy' });
  if (query.seriesBy) named.push({ field: query.seriesBy, role: 'seriesBy' });
  if (query.metric?.field && query.metric.fn !== 'COUNT') named.push({ field: query.metric.field, role: 'metric' });
  for (const field of query.select ?? []) named.push({ field, role: 'select' });
  // A grouped or aggregated query sorts by its `value` column, which no record carries.
  const sortsByValue = query.sort?.field === 'value' && Boolean(query.metric || query.groupBy || query.bucket);
  if (query.sort && !sortsByValue) named.push({ field: query.sort.field, role: 'sort' });
  return named;
}

/**
 * The dataset catalog: which datasets and fields a workspace's records have, with observed types and
 * counts, kept by accumulating upserts at ingest (never a scan). It holds no values; `fieldValues`
 * reads values from the records, within the caller's own data access.
 */
export class CatalogService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly scopeOf: (principal: PrincipalDoc) => Scope,
  ) {}

  /** Counts one ingested batch of a dataset into the catalog: the records just stored, none stored before. */
  async observe(workspaceId: string, dataset: string, records: readonly RecordDoc[]): Promise<void> {
    if (records.length === 0) return;
    const counts = new Map<string, Partial<Record<FieldType, number>>>();
    const add = (field: string, type: FieldType | null) => {
      if (!type) return;
      const types = counts.get(field) ?? {};
      types[type] = (types[type] ?? 0) + 1;
      counts.set(field, types);
    };
    let lastRecordAt = records[0]!.at;
    for (const record of records) {
      if (record.at > lastRecordAt) lastRecordAt = record.at;
      add('at', 'DATE');
      if (record.owner !== null) add('owner', 'STRING');
      for (const [field, value] of Object.entries(record.data)) add(field, typeOf(value));
    }
    const fieldOps: Accumulate<DatasetFieldDoc>[] = [...counts].map(([name, types]) => {
      const inc: Record<string, number> = {};
      let count = 0;
      for (const [type, by] of Object.entries(types)) {
        inc[`types.${type}`] = by;
        count += by;
      }
      inc['count'] = count;
      return { id: fieldId(workspaceId, dataset, name), setOnInsert: { workspaceId, dataset, name }, inc };
    });
    await this.store.datasetFields.accumulate(fieldOps);
    await this.store.datasets.accumulate([
      {
        id: datasetId(workspaceId, dataset),
        setOnInsert: { workspaceId, name: dataset, createdAt: this.clock.now() },
        inc: { recordCount: records.length },
        // The time data last arrived rides on the write the ingest makes anyway (a records' `at` may be
        // any time, so lastRecordAt alone cannot say whether a feed is still delivering).
        max: { lastRecordAt, lastIngestedAt: this.clock.now() },
      },
    ]);
  }

  /**
   * Counts a dataset's catalog again from its records (null: every dataset of the workspace), after
   * records left (an erasure) or a write failed half-way (a repair): counts, types and the last
   * record time become what the records hold now, a field no record carries any more goes, and so
   * does a dataset left without records. Run inside the rollups' write order of the workspace (one
   * at a time with ingests in this process); an ingest on another instance at the same moment may
   * be counted twice or not at all until the next recount.
   */
  async recount(workspaceId: string, dataset: string | null): Promise<void> {
    const names = dataset !== null ? [dataset] : (await this.store.datasets.find({ workspaceId })).map((doc) => doc.name);
    for (const name of names) {
      const [census] = await this.store.aggregateRecords(compileDatasetCensus(workspaceId, name));
      const stored = await this.store.datasetFields.find({ workspaceId, dataset: name });
      if (!census || Number(census['n']) === 0) {
        for (const field of stored) await this.store.datasetFields.deleteOne({ _id: field._id });
        await this.store.datasets.deleteOne({ _id: datasetId(workspaceId, name) });
        continue;
      }
      const records = Number(census['n']);
      const fields = new Map<string, Partial<Record<FieldType, number>>>([['at', { DATE: records }]]);
      if (Number(census['owners']) > 0) fields.set('owner', { STRING: Number(census['owners']) });
      for (const row of await this.store.aggregateRecords(compileFieldCensus(workspaceId, name, ISO_DATE_PATTERN))) {
        const { k, t } = row['_id'] as { k: string; t: FieldType | null };
        if (t === null) continue;
        fields.set(k, { ...fields.get(k), [t]: Number(row['c']) });
      }
      for (const [field, types] of fields) {
        const count = Object.values(types).reduce((sum, by) => sum + by, 0);
        const id = fieldId(workspaceId, name, field);
        const updated = await this.store.datasetFields.updateOne({ _id: id }, { set: { count, types } });
        if (!updated) await this.store.datasetFields.insertIfAbsent({ _id: id, workspaceId, dataset: name, name: field, count, types });
      }
      for (const field of stored) if (!fields.has(field.name)) await this.store.datasetFields.deleteOne({ _id: field._id });
      const last = census['last'] as Date;
      const updated = await this.store.datasets.updateOne({ _id: datasetId(workspaceId, name) }, { set: { recordCount: records, lastRecordAt: last } });
      if (!updated) {
        await this.store.datasets.insertIfAbsent({
          _id: datasetId(workspaceId, name),
          workspaceId,
          name,
          recordCount: records,
          lastRecordAt: last,
          createdAt: this.clock.now(),
        });
      }
    }
  }

  async list(viewer: Viewer): Promise<Dataset[]> {
    authorize(viewer, 'dataset:read-catalog', viewer.workspace, { code: 'FORBIDDEN', message: 'You may not read the dataset catalog.' });
    const workspaceId = viewer.workspace._id;
    const [datasets, fields] = await Promise.all([
      this.store.datasets.find({ workspaceId }, { sort: { name: 1 } }),
      this.store.datasetFields.find({ workspaceId }, { sort: { name: 1 } }),
    ]);
    return datasets.map((doc) => this.#present(doc, fields));
  }

  async get(viewer: Viewer, name: string): Promise<Dataset | null> {
    assertDatasetName(name);
    authorize(viewer, 'dataset:read-catalog', viewer.workspace, { code: 'FORBIDDEN', message: 'You may not read the dataset catalog.' });
    return this.#load(viewer.workspace._id, name);
  }

  async #load(workspaceId: string, name: string): Promise<Dataset | null> {
    const [doc, fields] = await Promise.all([
      this.store.datasets.findOne({ _id: datasetId(workspaceId, name), workspaceId }),
      this.store.datasetFields.find({ workspaceId, dataset: name }, { sort: { name: 1 } }),
    ]);
    return doc ? this.#present(doc, fields) : null;
  }

  #present(doc: DatasetDoc, fields: readonly DatasetFieldDoc[]): Dataset {
    const own = fields
      .filter((field) => field.dataset === doc.name)
      .map((field) => ({ name: field.name, count: field.count, types: FIELD_TYPES.filter((type) => (field.types[type] ?? 0) > 0) }));
    for (const { name, type } of RECORD_FIELDS) {
      if (!own.some((field) => field.name === name)) own.push({ name, count: name === 'at' ? doc.recordCount : 0, types: name === 'at' ? [type] : [] });
    }
    own.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return { name: doc.name, recordCount: doc.recordCount, lastRecordAt: doc.lastRecordAt, lastIngestedAt: doc.lastIngestedAt ?? null, fields: own };
  }

  /**
   * The most frequent values of a field, counted over the records the caller itself may read (its own
   * data access, as an embed it minted for itself would): values of owners it cannot read never appear.
   */
  async fieldValues(viewer: Viewer, dataset: string, field: string, limit?: number | null): Promise<unknown[]> {
    assertDatasetName(dataset);
    assertFieldName(field, 'field');
    const take = limit ?? DEFAULT_VALUES_LIMIT;
    if (!Number.isInteger(take) || take < 1 || take > MAX_VALUES_LIMIT) throw badInput(`limit must be 1–${MAX_VALUES_LIMIT}.`);
    const rows = await this.store.aggregateRecords(compileFieldValues(dataset, field, this.scopeOf(viewer.principal), take));
    // MongoDB's `$type` also matches a list holding such a value; lists are left out here.
    return rows
      .map((row) => row['_id'])
      .filter((value) => value instanceof Date || typeOf(value) !== null)
      .map((value) => (value instanceof Date ? value.toISOString() : value));
  }

  /**
   * Refuses a widget that names a field its dataset has never had, or aggregates a field that is not a
   * number, naming the closest known field. A dataset without records yet is let through (a page may be
   * set up before data arrives); `problems` reports it.
   */
  async assertWidgets(workspaceId: string, widgets: ReadonlyArray<Pick<WidgetDoc, 'query'>>): Promise<void> {
    const catalog = new Map<string, Dataset | null>();
    for (const [index, widget] of widgets.entries()) {
      const dataset = await this.#cached(catalog, workspaceId, widget.query.dataset);
      const [problem] = dataset ? this.#fieldProblems(dataset, widget.query) : [];
      if (problem) throw badInput(widgets.length > 1 ? `widgets[${index}]: ${problem}` : problem);
    }
  }

  /** What in a page's widgets does not resolve against the catalog now, one sentence each. */
  async problems(workspaceId: string, widgets: ReadonlyArray<Pick<WidgetDoc, 'title' | 'query'>>): Promise<string[]> {
    const catalog = new Map<string, Dataset | null>();
    const problems: string[] = [];
    let known: string[] | null = null;
    for (const widget of widgets) {
      const dataset = await this.#cached(catalog, workspaceId, widget.query.dataset);
      if (!dataset) {
        known ??= (await this.store.datasets.find({ workspaceId }, { sort: { name: 1 } })).map((doc) => doc.name);
        const suggestion = closestName(widget.query.dataset, known);
        problems.push(`“${widget.title}”: dataset "${widget.query.dataset}" has no records yet${suggestion ? `; did you mean "${suggestion}"?` : '.'}`);
        continue;
      }
      for (const problem of this.#fieldProblems(dataset, widget.query)) problems.push(`“${widget.title}”: ${problem}`);
    }
    return problems;
  }

  async #cached(catalog: Map<string, Dataset | null>, workspaceId: string, name: string): Promise<Dataset | null> {
    if (!catalog.has(name)) catalog.set(name, await this.#load(workspaceId, name));
    return catalog.get(name)!;
  }

  #fieldProblems(dataset: Dataset, query: WidgetQuery): string[] {
    const problems: string[] = [];
    const isRecordField = (name: string) => RECORD_FIELDS.some((field) => field.name === name);
    const byName = new Map(dataset.fields.filter((field) => isRecordField(field.name) || field.count > 0).map((field) => [field.name, field]));
    const known = [...byName.keys()];
    for (const { field } of fieldsNamed(query)) {
      if (byName.has(field)) continue;
      const suggestion = closestName(field, known);
      problems.push(`Unknown field "${field}" in dataset "${dataset.name}"${suggestion ? `; did you mean "${suggestion}"?` : '.'}`);
    }
    const metric = query.metric;
    if (metric && NUMERIC_FNS.has(metric.fn) && metric.field && byName.has(metric.field) && !byName.get(metric.field)!.types.includes('NUMBER')) {
      const numbers = dataset.fields.filter((field) => field.types.includes('NUMBER')).map((field) => field.name);
      const hint = numbers.length ? ` Number fields: ${quoted(numbers)}.` : ` Dataset "${dataset.name}" has no number fields.`;
      problems.push(`${metric.fn} needs a number field, and "${metric.field}" in dataset "${dataset.name}" is not a number.${hint}`);
    }
    return problems;
  }
}
