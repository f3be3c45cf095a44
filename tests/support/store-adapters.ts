import type { RollupSource, Store } from '../../server/src/store/port.js';
import type { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';

/** A store call a fault test breaks once: an ingest's rollup merge, or a rebuild's scan of every record. */
export type FaultPoint = 'mergeRollups' | 'fullBuild';

/** One storage adapter as the numbers tests run it. */
export interface StoreAdapter {
  name: string;
  /** A new, empty store. */
  open(): Promise<Store>;
  /** The next call at `point` fails as the adapter fails (memory: an error thrown; mongo: an error answered on the wire). */
  failNext(store: FaultyStore, point: FaultPoint): void;
  close(): Promise<void>;
}

/** Fails the next call at `point` by throwing from the FaultyStore around the adapter. */
export function failByIntercept(store: FaultyStore, point: FaultPoint): void {
  const previous = store.intercept;
  store.intercept = async (call, args) => {
    const hit = point === 'mergeRollups' ? call === 'mergeRollups' : call === 'rollupRecords' && (args[0] as RollupSource).ids === null;
    if (hit) {
      store.intercept = previous;
      throw new Error(`fault injected: ${point}`);
    }
    await previous?.(call, args);
  };
}

/** The adapters every numbers test runs on. */
export async function storeAdapters(): Promise<StoreAdapter[]> {
  return [{ name: 'memory', open: async () => new MemoryStore(), failNext: failByIntercept, close: async () => undefined }];
}
