import type { DashboardChoices, EmbeddedPage, RangeInput, ViewChoices } from '../api/operations';
import type { HostChannel, ReportedPage, ReportedRange } from './host';

/** Whether `page` lets the viewer pick `range` (the server would refuse, or on a dashboard ignore, any other). */
const offers = (page: EmbeddedPage, range: RangeInput): boolean => !page.rangeLocked && (range.preset ? page.presets.includes(range.preset) : true);

const reported = (page: EmbeddedPage): ReportedRange => ({ preset: page.range.preset ?? null, from: page.range.from ?? null, to: page.range.to ?? null });

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
    if (page && !offers(page, range)) return false;
    this.#range = range;
    return true;
  }

  setTimezone(timezone: string): void {
    this.#timezone = timezone;
  }

  /** Tells the host the range shown, on the first load (`ready`) and whenever it changes. */
  report(page: EmbeddedPage, first: boolean): void {
    const range = reported(page);
    const key = JSON.stringify([range, page.timezone]);
    if (first) this.#host.post({ type: 'porthole:ready', range, timezone: page.timezone });
    else if (key !== this.#reported) this.#host.post({ type: 'porthole:range-changed', range, timezone: page.timezone });
    this.#reported = key;
  }
}

/**
 * The viewer's choices for a user dashboard: each page's own range (its picker; the host page's
 * `porthole:set-range` sets it on every page that offers it) and one time zone. The server keeps a
 * page's own range where it cannot take the one asked for.
 */
export class DashboardViewState {
  // Plain fields: read only when loading and reporting, nothing on screen depends on them.
  /** Page id → the range picked for it. */
  #ranges: Record<string, RangeInput> = {};
  #timezone: string | null;
  /** Page id → the range and zone last reported. */
  #reported: Record<string, string> = {};
  readonly #host: HostChannel;

  constructor(timezone: string | null, host: HostChannel) {
    this.#timezone = timezone;
    this.#host = host;
  }

  get choices(): DashboardChoices {
    return { ranges: Object.entries(this.#ranges).map(([pageId, range]) => ({ pageId, range })), timezone: this.#timezone };
  }

  /** One page's picker. True if the page offers that range (then load again). */
  pick(page: EmbeddedPage, range: RangeInput): boolean {
    if (!offers(page, range)) return false;
    this.#ranges = { ...this.#ranges, [page.id]: range };
    return true;
  }

  /** The host's range, for every page shown that offers it. True if one did. */
  setRange(range: RangeInput, pages: readonly EmbeddedPage[] | undefined): boolean {
    const taking = (pages ?? []).filter((page) => offers(page, range));
    if (!taking.length) return false;
    for (const page of taking) this.#ranges = { ...this.#ranges, [page.id]: range };
    return true;
  }

  setTimezone(timezone: string): void {
    this.#timezone = timezone;
  }

  /** Tells the host every page's range on the first load (`ready`), then each page whose range or zone changed. */
  report(pages: readonly EmbeddedPage[], first: boolean): void {
    const shown = pages.map((page): ReportedPage => ({ pageId: page.id, range: reported(page), timezone: page.timezone }));
    if (first) this.#host.post({ type: 'porthole:ready', pages: shown });
    for (const { pageId, range, timezone } of shown) {
      const key = JSON.stringify([range, timezone]);
      const before = this.#reported[pageId];
      if (!first && before !== undefined && before !== key) this.#host.post({ type: 'porthole:range-changed', pageId, range, timezone });
      this.#reported[pageId] = key;
    }
  }
}
