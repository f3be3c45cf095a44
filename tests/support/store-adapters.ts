import type { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { MongoStore } from '../../server/src/store/mongo/mongo-store.js';
import type { RollupSource, Store } from '../../server/src/store/port.js';
import { WireDocuments } from './mongo-wire-documents.js';
import { MongoWirePeer, type Command } from './mongo-wire-peer.js';

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

/** Whether a command on the wire is the one `point` names: the rollups' bulk upsert, or an aggregate of rollup cells over a whole dataset. */
function isAt(point: FaultPoint, name: string, command: Command): boolean {
  if (point === 'mergeRollups') return name === 'update' && command['update'] === 'rollups';
  if (name !== 'aggregate' || command['aggregate'] !== 'records') return false;
  const pipeline = JSON.stringify(command['pipeline']);
  return pipeline.includes('"binSize"') && !pipeline.includes('"_id":{"$in"');
}

/**
 * The mongo adapter with the real driver, each store over its own wire peer holding documents.
 * A fault is an answer on the wire, as a server gives it: MaxTimeMSExpired (50), which the driver
 * does not retry and the adapter reads as an outage.
 */
function mongoOverWirePeer(): StoreAdapter {
  const opened: Array<{ peer: MongoWirePeer; store: Store }> = [];
  const faults = new Map<Store, { point: FaultPoint } | null>();
  return {
    name: 'mongo (real driver, over the wire peer)',
    open: async () => {
      const peer = new MongoWirePeer();
      const documents = new WireDocuments();
      let store: Store | null = null;
      peer.react = (name, command) => {
        const fault = store ? faults.get(store) : null;
        if (fault && isAt(fault.point, name, command)) {
          faults.set(store!, null);
          return { ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: `fault injected: ${fault.point}` };
        }
        return documents.answer(name, command);
      };
      await peer.open();
      store = await MongoStore.connect(peer.uri);
      opened.push({ peer, store });
      return store;
    },
    failNext: (store, point) => faults.set((store as unknown as { inner: Store }).inner, { point }),
    close: async () => {
      for (const { peer, store } of opened) {
        await store.close();
        await peer.close();
      }
    },
  };
}

/** The adapters every numbers test runs on: memory, and mongo through the wire peer. */
export async function storeAdapters(): Promise<StoreAdapter[]> {
  return [{ name: 'memory', open: async () => new MemoryStore(), failNext: failByIntercept, close: async () => undefined }, mongoOverWirePeer()];
}
