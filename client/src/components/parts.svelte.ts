import type { EmbeddedPage, EmbeddedWidget } from '../api/operations';
import type Chart from './Chart.svelte';
import type DataTable from './DataTable.svelte';

/**
 * The parts of a widget card that only some widgets need, each a chunk of its own loaded on use:
 * the chart (lib/chart.ts and its SVG) and the table (lib/table.ts, also "Show as table"). An embed
 * of NUMBER widgets never downloads either, and the page embed's first load stays in its budget
 * (scripts/report-sizes.mjs).
 *
 * The embeds load what a page needs before they show it (`partsFor`), so no card appears without
 * its chart; anywhere else (the console's preview, "Show as table") the card loads it on first use.
 */
export const parts: { chart?: typeof Chart; table?: typeof DataTable } = $state({});

export type Part = keyof typeof parts;
/** Loads begun (not reactive: nothing is drawn from it). */
const loading: Partial<Record<Part, Promise<void>>> = {};

/** Loads a part once; a failed load (the network) is tried again on the next call. */
export function load(part: Part): Promise<void> {
  let pending = loading[part];
  if (!pending) {
    pending = (
      part === 'chart'
        ? import('./Chart.svelte').then((module) => void (parts.chart = module.default))
        : import('./DataTable.svelte').then((module) => void (parts.table = module.default))
    ).catch((error: unknown) => {
      delete loading[part];
      throw error;
    });
    loading[part] = pending;
  }
  return pending;
}

/** The part a widget shows first: its chart, its table, or none (a NUMBER, a widget without rows). */
export function partOf(widget: EmbeddedWidget): Part | null {
  if (!widget.data.rows.length) return null;
  return widget.kind === 'TABLE' ? 'table' : widget.kind === 'BAR' || widget.kind === 'LINE' ? 'chart' : null;
}

/** Resolves to `data` once the parts its pages' widgets show are loaded. */
export async function withParts<T extends EmbeddedPage | EmbeddedPage[]>(data: T): Promise<T> {
  const pages: EmbeddedPage[] = Array.isArray(data) ? data : [data];
  const needed = pages.flatMap((page) => page.widgets.map(partOf));
  await Promise.all((['chart', 'table'] as const).filter((part) => needed.includes(part)).map(load));
  return data;
}
