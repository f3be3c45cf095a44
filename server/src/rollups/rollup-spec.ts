import { createHash } from 'node:crypto';
import type { PageDoc, RollupLevel, RollupPartials, RollupRowDoc, RollupSpecDoc, WidgetQuery } from '../domain/types.js';
import { groupKeyOf } from '../store/group-key.js';
import type { RollupCell } from '../store/port.js';

export const HOUR_MS = 3_600_000;
export const QUARTER_HOUR_MS = 900_000;
export const DAY_MS = 86_400_000;

/** What identifies a spec: its `_id` is a digest of exactly these fields. */
export type RollupShape = Pick<RollupSpecDoc, 'workspaceId' | 'dataset' | 'filters' | 'groupBy' | 'seriesBy' | 'field' | 'grainMs'>;

/**
 * The finest grain a zone needs: an hour, or a quarter hour for zones whose offset from UTC is
 * not a whole number of hours at some time of the year (Kolkata +5:30, Kathmandu +5:45, Lord
 * Howe's half-hour DST). Checked at the solstices and equinoxes of this year and the next.
 */
export function grainForZone(zone: string | null | undefined, now = new Date()): number {
  if (!zone || zone === 'UTC') return HOUR_MS;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  } catch {
    return HOUR_MS;
  }
  const year = now.getUTCFullYear();
  for (const y of [year, year + 1]) {
    for (const month of [0, 2, 5, 8, 11]) {
      const name = formatter.formatToParts(Date.UTC(y, month, 21)).find((part) => part.type === 'timeZoneName')?.value ?? '';
      const minutes = /:(\d\d)$/.exec(name)?.[1];
      if (minutes && minutes !== '00') return QUARTER_HOUR_MS;
    }
  }
  return HOUR_MS;
}

/** The rollup a widget's query can be answered from, or null (tables, and dimensions on `at`, read records). */
export function shapeFor(workspaceId: string, query: WidgetQuery, grainMs: number): RollupShape | null {
  if (!query.metric) return null;
  if (query.groupBy === 'at' || query.seriesBy === 'at') return null;
  return {
    workspaceId,
    dataset: query.dataset,
    filters: query.filters.map((rule) => ({ field: rule.field, op: rule.op, value: rule.value })),
    groupBy: query.groupBy ?? null,
    seriesBy: query.seriesBy ?? null,
    field: query.metric.fn === 'COUNT' ? null : query.metric.field,
    grainMs,
  };
}

export function specIdOf(shape: RollupShape): string {
  const canonical = JSON.stringify([shape.workspaceId, shape.dataset, shape.filters, shape.groupBy, shape.seriesBy, shape.field, shape.grainMs]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

/** The grain a page's rollups are kept at: its zone's. */
export function grainForPage(page: PageDoc): number {
  return grainForZone(page.timezone ?? null);
}

/** Every rollup the page's widgets can be answered from, by id. */
export function shapesOfPage(page: PageDoc): Map<string, RollupShape> {
  const grain = grainForPage(page);
  const shapes = new Map<string, RollupShape>();
  for (const widget of page.widgets) {
    const shape = shapeFor(page.workspaceId, widget.query, grain);
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
 * The rows a set of cells adds to a spec: each cell at its own grain, its UTC day and all time,
 * both for its owner and summed over every owner. Rows with one id are merged here already.
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
    const day = new Date(Math.floor(cell.t.getTime() / DAY_MS) * DAY_MS);
    for (const a of [false, true]) {
      add(cell, 'cell', cell.t, a);
      add(cell, 'day', day, a);
      add(cell, 'total', null, a);
    }
  }
  return [...rows.values()];
}
