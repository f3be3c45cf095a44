import type { CollectionName, Store } from '../../server/src/store/port.js';

/** One call stopped at the gate: what it was called with, and how to let it go on. */
export interface HeldCall {
  args: unknown[];
  release(): void;
}

/**
 * A storage port whose calls of one method of one collection can be stopped at a gate, for tests
 * that interleave concurrent requests step by step over HTTP: while `holding`, each such call
 * waits until the test releases it, in whatever order the test chooses. With `phase: 'before'`
 * a held call reads the store when released (it sees every write made meanwhile); with
 * `'after'` it reads the store on arrival and only its answer waits. Every other call goes
 * straight to the wrapped store.
 */
export class HeldCalls {
  holding = false;
  phase: 'before' | 'after' = 'before';
  readonly #held: HeldCall[] = [];
  #arrived: (() => void) | null = null;
  readonly store: Store;

  constructor(inner: Store, collection: CollectionName, method: string) {
    const target = inner[collection] as unknown as Record<string, unknown>;
    const gated = new Proxy(target, {
      get: (object, property) => {
        const value = Reflect.get(object, property, object);
        if (property !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(object) : value;
        return async (...args: unknown[]) => {
          const call = () => (value as (...inner: unknown[]) => Promise<unknown>).apply(object, args);
          if (!this.holding) return call();
          if (this.phase === 'before') {
            await this.#hold(args);
            return call();
          }
          const answer = await call();
          await this.#hold(args);
          return answer;
        };
      },
    });
    this.store = new Proxy(inner, {
      get: (object, property) => {
        if (property === collection) return gated;
        const value = Reflect.get(object, property, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  }

  #hold(args: unknown[]): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#held.push({ args, release: resolve });
      this.#arrived?.();
    });
  }

  /** Waits until a call is held (the oldest not yet taken) and takes it, for the test to release. */
  async next(timeoutMs = 5000): Promise<HeldCall> {
    const deadline = Date.now() + timeoutMs;
    while (this.#held.length === 0) {
      if (Date.now() > deadline) throw new Error('No call reached the gate in time.');
      await new Promise<void>((resolve) => {
        this.#arrived = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.#held.shift()!;
  }

  /** Stops holding and releases every call still held. */
  releaseAll(): void {
    this.holding = false;
    for (const call of this.#held.splice(0)) call.release();
  }
}
