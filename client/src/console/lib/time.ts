const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** `Nov 21, 2026, 3:04 PM` in the member's locale and time zone; an em dash for never. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** `in 5 minutes`, `3 days ago`: the largest unit that fits. */
export function fromNow(iso: string, now = Date.now()): string {
  // Rounded to the minute first, so a day minus the request's latency still reads as a day.
  const exact = Math.round((new Date(iso).getTime() - now) / 1000);
  const seconds = Math.abs(exact) >= 60 ? Math.round(exact / 60) * 60 : exact;
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

export const isPast = (iso: string, now = Date.now()): boolean => new Date(iso).getTime() <= now;

const DAY = 86_400;
const LIFETIMES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 3600, label: '1 hour' },
  { seconds: DAY, label: '1 day' },
  { seconds: 7 * DAY, label: '7 days' },
  { seconds: 30 * DAY, label: '30 days' },
  { seconds: 90 * DAY, label: '90 days' },
  { seconds: 365 * DAY, label: '365 days' },
];

/** Expiry choices for a new embed: the lifetimes the server accepts (at most `maxSeconds`, PORTHOLE_MAX_EMBED_TTL_DAYS). */
export function expiryChoices(maxSeconds: number): Array<{ seconds: number; label: string }> {
  const choices = LIFETIMES.filter((choice) => choice.seconds <= maxSeconds);
  if (choices.at(-1)?.seconds !== maxSeconds && maxSeconds > 0)
    choices.push({ seconds: maxSeconds, label: `${Math.round((maxSeconds / DAY) * 10) / 10} days` });
  return choices.map((choice, index) => (index === choices.length - 1 ? { ...choice, label: `${choice.label} (the longest allowed)` } : choice));
}
