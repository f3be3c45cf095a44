import { niceMax } from "./format";

/** Indexes of the labels to draw so that at most `room` fit; the last one is always drawn. */
export function labelledIndexes(count: number, room: number): Set<number> {
  const step = Math.max(1, Math.ceil(count / Math.max(1, room)));
  const shown = new Set<number>();
  for (let i = count - 1; i >= 0; i -= step) shown.add(i);
  return shown;
}

/** A value axis from 0 (or a round negative floor) to a round ceiling, with three ticks. */
export function valueAxis(values: number[]): {
  min: number;
  max: number;
  ticks: number[];
} {
  const max = niceMax(Math.max(0, ...values));
  const lowest = Math.min(0, ...values);
  const min = lowest < 0 ? -niceMax(-lowest) : 0;
  return { min, max, ticks: [min, (min + max) / 2, max] };
}
