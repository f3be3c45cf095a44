/**
 * Messages to the page that frames the embed. They carry no data — only a height or a status —
 * so they may go to `'*'` when the host did not pass its origin (see client/README.md).
 */
export type HostMessage =
  { type: 'porthole:resize'; height: number } | { type: 'porthole:ready' } | { type: 'porthole:unavailable' } | { type: 'porthole:expired' };

export class HostChannel {
  readonly #targetOrigin: string;
  #lastHeight = -1;

  constructor(targetOrigin: string) {
    this.#targetOrigin = targetOrigin;
  }

  post(message: HostMessage): void {
    if (window.parent === window) return;
    window.parent.postMessage(message, this.#targetOrigin);
  }

  /** Posts `porthole:resize` whenever the element's rendered height changes. */
  observeHeight(element: HTMLElement): void {
    const report = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === this.#lastHeight) return;
      this.#lastHeight = height;
      this.post({ type: 'porthole:resize', height });
    };
    new ResizeObserver(report).observe(element);
    report();
  }
}
