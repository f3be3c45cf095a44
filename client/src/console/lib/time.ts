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

/** Expiry choices for a new embed (the server allows 1 second to 30 days). */
export const EXPIRY_CHOICES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
  { seconds: 30 * 86_400, label: '30 days (the longest allowed)' },
];
