import type { DateRangePreset, PageDoc, RangeChoice, Theme, Weekday } from '../domain/types.js';
import { badInput } from '../errors.js';
import type { View } from '../query/compiler.js';
import { PRESETS, presetBounds } from '../query/date-range.js';
import { canonicalZone } from '../query/zoned-time.js';

/** What a page embed token says about viewing (all optional claims). */
export interface TokenViewing {
  tz: string | null;
  locale: string | null;
  theme: Theme | null;
  range: RangeChoice | null;
  viewerCanChangeRange: boolean | null;
}

export const NO_TOKEN_VIEWING: TokenViewing = { tz: null, locale: null, theme: null, range: null, viewerCanChangeRange: null };

/** What the viewer asked for: the embed API's `range` and `timezone` arguments. */
export interface ViewerChoices {
  range?: { preset?: DateRangePreset | null; from?: Date | null; to?: Date | null } | null;
  timezone?: string | null;
}

/** How a page is shown: the view the compiler runs, and what the embed reports about it. */
export interface ResolvedViewing {
  view: View;
  timezone: string;
  weekStart: Weekday;
  locale: string | null;
  /** The token's theme, else the page's, else LIGHT (the host's own choice, in the client, wins over it). */
  theme: Theme;
  range: { preset: DateRangePreset | null; from: Date | null; to: Date | null };
  rangeLocked: boolean;
  /** The presets the viewer may pick (none when the range is locked). */
  presets: DateRangePreset[];
  /** The longest custom range the viewer may pick, in days; null when none. */
  maxDays: number | null;
}

/** A custom range may run this much over `maxDays` whole days: one local day can be 25 hours. */
const DST_SLACK_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DEFAULT_MAX_DAYS = 366;

/** The viewer's `range` argument as a choice: a preset, or both `from` and `to`, never a mix. */
function parseChoice(range: NonNullable<ViewerChoices['range']>): RangeChoice {
  const { preset, from, to } = range;
  if (preset && !from && !to) return { preset };
  if (!preset && from && to) {
    if (!(to.getTime() > from.getTime())) throw badInput('range: to must be after from.');
    return { from, to };
  }
  throw badInput('range: give a preset, or both from and to.');
}

const sameChoice = (a: RangeChoice, b: RangeChoice): boolean =>
  'preset' in a ? 'preset' in b && a.preset === b.preset : !('preset' in b) && a.from.getTime() === b.from.getTime() && a.to.getTime() === b.to.getTime();

/**
 * Works out how a page is viewed. The zone is the viewer's (when it is a known IANA zone; an
 * unknown one is ignored, never an error), else the token's, else the page's; but a locked preset
 * (yesterday, last month) is the token's days, so its bounds and the whole view are in the token's
 * zone (else the page's), whatever zone the viewer sends. The range is the
 * token's when it locks one, else the viewer's choice among what the page offers, else the page's
 * default. A locked range refuses any other with BAD_USER_INPUT; the resulting bounds only ever
 * narrow the scope, because the compiler ANDs them after it.
 *
 * @param lenient for dashboards (several pages answering one `range` argument): a page that
 *   cannot take the viewer's range keeps its own instead of refusing
 */
export function resolveViewing(page: PageDoc, token: TokenViewing, viewer: ViewerChoices, now: Date, lenient = false): ResolvedViewing {
  const ownZone = canonicalZone(token.tz) ?? page.timezone ?? 'UTC';
  const weekStart = page.weekStart ?? 'MONDAY';
  const settings = page.dateRange ?? null;
  const locked = token.range ? token.viewerCanChangeRange !== true : settings === null || token.viewerCanChangeRange === false;
  const base: RangeChoice = token.range ?? { preset: settings?.default ?? 'ALL_TIME' };
  // A viewer's zone would move a locked preset's days (a "yesterday" ending at another midnight):
  // bounds and buckets stay in the embed's own zone, and the page reports that zone.
  const zoneLocked = locked && 'preset' in base && base.preset !== 'ALL_TIME';
  const timezone = (zoneLocked ? null : canonicalZone(viewer.timezone)) ?? ownZone;
  const presets = locked ? [] : [...(settings?.presets ?? PRESETS)];
  const maxDays = locked ? null : (settings?.maxDays ?? DEFAULT_MAX_DAYS);

  let choice = base;
  if (viewer.range) {
    const requested = parseChoice(viewer.range);
    const refuse = (message: string): void => {
      if (!lenient) throw badInput(message);
    };
    if (locked) {
      if (!sameChoice(requested, base)) refuse('This embed shows a fixed date range.');
    } else if ('preset' in requested && !presets.includes(requested.preset)) {
      refuse(`range: this page offers ${presets.join(', ')}.`);
    } else if (!('preset' in requested) && requested.to.getTime() - requested.from.getTime() > maxDays! * DAY_MS + DST_SLACK_MS) {
      refuse(`range: at most ${maxDays} days.`);
    } else {
      choice = requested;
    }
  }
  const bounds = 'preset' in choice ? presetBounds(choice.preset, now, timezone) : { from: choice.from, to: choice.to };
  return {
    view: { timezone, weekStart, from: bounds.from, to: bounds.to },
    timezone,
    weekStart,
    locale: token.locale,
    theme: token.theme ?? page.theme ?? 'LIGHT',
    range: { preset: 'preset' in choice ? choice.preset : null, from: bounds.from, to: bounds.to },
    rangeLocked: locked,
    presets,
    maxDays,
  };
}
