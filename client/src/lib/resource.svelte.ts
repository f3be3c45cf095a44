/**
 * One asynchronous value with `loading` and `error`, fetched through an AbortSignal.
 * A reload keeps the previous `data` on screen until the new one arrives; a newer load aborts an older one.
 */
export class Resource<T> {
  // Raw: the data is replaced whole, never mutated, so it needs no deep proxy.
  #data = $state.raw<T | undefined>(undefined);
  #error = $state.raw<unknown>(undefined);
  #loading = $state(false);
  #controller: AbortController | undefined;
  readonly #fetcher: (signal: AbortSignal) => Promise<T>;

  constructor(fetcher: (signal: AbortSignal) => Promise<T>) {
    this.#fetcher = fetcher;
  }

  get data(): T | undefined {
    return this.#data;
  }
  get error(): unknown {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  /** Fetches again; resolves once this load settled (never rejects: read `error`). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#loading = true;
    try {
      const data = await this.#fetcher(controller.signal);
      if (controller.signal.aborted) return;
      this.#data = data;
      this.#error = undefined;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#error = error;
    } finally {
      if (this.#controller === controller) this.#loading = false;
    }
  }

  /** Forgets the data: used when the credential is gone, so nothing stale stays visible. */
  clear(): void {
    this.#data = undefined;
  }

  abort(): void {
    this.#controller?.abort();
    this.#loading = false;
  }
}
