import { createHash } from 'node:crypto';
import type { PageDoc, RollupLevel, RollupPartials, RollupRowDoc, RollupSpecDoc } from '../domain/types.js';
import { declaredFormOf, QUERY_FORM_VERSION, type QueryForm } from '../query/query-form.js';
import { groupKeyOf } from '../store/group-key.js';
import type { RollupCell } from '../store/port.js';

export const HOUR_MS = 3_600_000;
export const QUARTER_HOUR_MS = 900_000;
export const DAY_MS = 86_400_000;

/** What identifies a spec: its `_id` is a digest of exactly these fields. */
export type RollupShape = Pick<RollupSpecDoc, 'workspaceId' | 'dataset' | 'filters' | 'groupBy' | 'seriesBy' | 'field' | 'grainMs'>;

/**
 * The grain every rollup's finest rows are kept at, in UTC: a quarter hour. Every zone in use
 * today is offset from UTC by a whole number of quarter hours at every instant (Kolkata +5:30,
 * Kathmandu +5:45, Chatham +12:45/+13:45, Marquesas −9:30, Lord Howe's half-hour DST), so its
 * hours, days, weeks and months begin on a quarter hour, and so do ranges cut from them.
 */
export const CELL_MS = QUARTER_HOUR_MS;

const hourZones = new Map<string, boolean>();

/**
 * Whether a zone's offset from UTC is a whole number of hours (so UTC hour rows nest in its
 * buckets): checked at the solstices and equinoxes of this year and the next. Only a choice of
 * the cheaper rows: where it is wrong for some instant (history before 1970, a zone that
 * changed), the planner's check on every row (`bad`) sends the widget to the records.
 */
export function nestsUtcHours(zone: string, now = new Date()): boolean {
  if (zone === 'UTC') return true;
  const year = now.getUTCFullYear();
  const cached = hourZones.get(`${zone}|${year}`);
  if (cached !== undefined) return cached;
  let whole = true;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    for (const y of [year, year + 1]) {
      for (const month of [0, 2, 5, 8, 11]) {
        const name = formatter.formatToParts(Date.UTC(y, month, 21)).find((part) => part.type === 'timeZoneName')?.value ?? '';
        const minutes = /:(\d\d)$/.exec(name)?.[1];
        if (minutes && minutes !== '00') whole = false;
      }
    }
  } catch {
    whole = false;
  }
  if (hourZones.size > 1000) hourZones.clear();
  hourZones.set(`${zone}|${year}`, whole);
  return whole;
}

/**
 * The rollup a query form can be answered from, or null: a record list (no metric: rows, not
 * partials), or a dimension on `at` itself (every instant its own group). Only what the rows are
 * made of counts (dataset, filters, dimension fields, metric field): scope, range, zone, bucket,
 * sort and limit are applied when reading, so widgets differing only in those share a rollup.
 */
export function rollupShapeOf(workspaceId: string, form: QueryForm): RollupShape | null {
  if (!form.metric) return null;
  const fields = form.dimensions.map((dimension) => (dimension.kind === 'field' ? dimension.field : null));
  if (fields.includes('at')) return null;
  // The first dimension is a field (groupBy) or the time; the second is always a field (seriesBy).
  return {
    workspaceId,
    dataset: form.dataset,
    filters: form.filters.map((rule) => ({ field: rule.field, op: rule.op, value: rule.value })),
    groupBy: fields[0] ?? null,
    seriesBy: fields[1] ?? null,
    field: form.metric.field,
    grainMs: CELL_MS,
  };
}

/** The spec id of a shape: a digest of the form's version (another version's, to name its specs) and the shape. */
export function specIdOf(shape: RollupShape, version: number = QUERY_FORM_VERSION): string {
  const canonical = JSON.stringify([version, shape.workspaceId, shape.dataset, shape.filters, shape.groupBy, shape.seriesBy, shape.field, shape.grainMs]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

/** Every rollup the page's widgets can be answered from, by id (whatever the zone: the cells serve every one). */
export function shapesOfPage(page: PageDoc): Map<string, RollupShape> {
  const shapes = new Map<string, RollupShape>();
  for (const widget of page.widgets) {
    const shape = rollupShapeOf(page.workspaceId, declaredFormOf(widget.query, page.workspaceId));
    if (shape) shapes.set(specIdOf(shape), shape);
  }
  return shapes;
}

const lesser = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const greater = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function addPartials(into: RollupPartials, from: RollupPartials): void {
  into.c += from.c;
  into.s += from.s;
  into.n += from.n;
  into.x += from.x;
  into.mn = lesser(into.mn, from.mn);
  into.mx = greater(into.mx, from.mx);
}

/**
 * The rows a set of cells adds to a spec: each cell at its own grain (a quarter hour), its UTC
 * hour, its UTC day and all time, both for its owner and summed over every owner. Rows with one
 * id are merged here already. The hour rows cost at most a quarter of the cells' count more and
 * let whole-hour zones read a quarter as many rows as the cells.
 */
export function rowsOf(spec: Pick<RollupSpecDoc, '_id' | 'workspaceId'>, generation: number, cells: readonly RollupCell[]): RollupRowDoc[] {
  const rows = new Map<string, RollupRowDoc>();
  const add = (cell: RollupCell, level: RollupLevel, t: Date | null, a: boolean) => {
    const o = a ? null : cell.o;
    const key = `${spec._id}|${generation}|${level}|${a ? '*' : groupKeyOf(o)}|${t ? t.getTime() : '-'}|${groupKeyOf(cell.d)}|${groupKeyOf(cell.e)}`;
    const id = createHash('sha256').update(key).digest('hex').slice(0, 40);
    const row = rows.get(id);
    if (row) addPartials(row, cell);
    else {
      rows.set(id, {
        _id: id,
        workspaceId: spec.workspaceId,
        specId: spec._id,
        generation,
        level,
        a,
        o,
        t,
        ...('d' in cell && cell.d !== undefined ? { d: cell.d } : {}),
        ...('e' in cell && cell.e !== undefined ? { e: cell.e } : {}),
        c: cell.c,
        s: cell.s,
        n: cell.n,
        x: cell.x,
        mn: cell.mn,
        mx: cell.mx,
      });
    }
  };
  for (const cell of cells) {
    const hour = new Date(Math.floor(cell.t.getTime() / HOUR_MS) * HOUR_MS);
    const day = new Date(Math.floor(cell.t.getTime() / DAY_MS) * DAY_MS);
    for (const a of [false, true]) {
      add(cell, 'cell', cell.t, a);
      add(cell, 'hour', hour, a);
      add(cell, 'day', day, a);
      add(cell, 'total', null, a);
    }
  }
  return [...rows.values()];
}
