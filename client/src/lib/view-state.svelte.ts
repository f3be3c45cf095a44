import type { EmbeddedPage, RangeInput, ViewChoices } from '../api/operations';
import type { HostChannel, ReportedRange } from './host';

/**
 * The viewer's choices for a page embed — a date range and a time zone — from `?tz=`, the range
 * picker and the host page's commands. They are sent with every load; the server decides what
 * they may change (a locked range refuses another, an unknown zone is ignored).
 */
export class ViewState {
  #range = $state.raw<RangeInput | null>(null);
  #timezone = $state<string | null>(null);
  #reported = '';
  readonly #host: HostChannel;

  constructor(timezone: string | null, host: HostChannel) {
    this.#timezone = timezone;
    this.#host = host;
  }

  get choices(): ViewChoices {
    return { range: this.#range, timezone: this.#timezone };
  }

  get range(): RangeInput | null {
    return this.#range;
  }

  /**
   * Asks for another range, unless `page` says it cannot be changed or does not offer that preset
   * (the server would refuse it; asking would only turn the embed into an error). True if it did.
   */
  setRange(range: RangeInput, page: EmbeddedPage | undefined): boolean {
    if (page && (page.rangeLocked || (range.preset ? !page.presets.includes(range.preset) : false))) return false;
    this.#range = range;
    return true;
  }

  setTimezone(timezone: string): void {
    this.#timezone = timezone;
  }

  /** Tells the host the range shown, on the first load (`ready`) and whenever it changes. */
  report(page: EmbeddedPage, first: boolean): void {
    const range: ReportedRange = { preset: page.range.preset ?? null, from: page.range.from ?? null, to: page.range.to ?? null };
    const key = JSON.stringify([range, page.timezone]);
    if (first) this.#host.post({ type: 'porthole:ready', range, timezone: page.timezone });
    else if (key !== this.#reported) this.#host.post({ type: 'porthole:range-changed', range, timezone: page.timezone });
    this.#reported = key;
  }
}
