import { mount } from 'svelte';
import { EmbedUnavailableError } from '../api/graphql';
import { fetchDashboardPages, type EmbeddedPage, type RangeInput } from '../api/operations';
import { withParts } from '../components/parts.svelte';
import { ContentWidth } from '../lib/content-width.svelte';
import { EmbedToken } from '../lib/embed-token';
import { HostChannel } from '../lib/host';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { speak } from '../lib/i18n';
import { applyAppearance, knownZone, readEmbedParams, themeOf } from '../lib/params';
import { servedByDashboardRoute } from '../lib/route-guard';
import { DashboardViewState } from '../lib/view-state.svelte';
import '../styles/theme.css';
import DashboardApp from './DashboardApp.svelte';
import { DashboardSession } from './session';

const params = readEmbedParams(location.search, 'token');
// Light unless the host says otherwise (a dashboard's pages may each name a theme: none of them decides for all).
applyAppearance(document.documentElement, { theme: themeOf(params.theme, null), bordered: params.bordered });
// The embed's words: the viewer's locale, else the browser's (a user's embed token names none).
const speaking = speak(params.locale ?? navigator.language, document.documentElement);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const view = new DashboardViewState(knownZone(params.timezone, host), host);
// Anywhere but its route, the embed token is never exchanged.
const routed = servedByDashboardRoute(location);
// The user's embed token, which the host page may replace (porthole:set-token) after a refusal.
const token = new EmbedToken(routed ? params.token : '', 'token', host);
const session = new DashboardSession(() => token.value);

/** Reload at the fastest page refresh, and no later than the session's renewal time, so it never lapses. */
function nextDelayMs(pages: { refreshSeconds: number | null }[]): number {
  const refreshes = pages.map((page) => refreshDelayMs(page.refreshSeconds)).filter((ms) => ms !== null);
  return Math.min(session.renewsInMs, ...refreshes);
}

const embed = new LiveEmbed<EmbeddedPage[]>(
  // Shown once the chart and table code its widgets need has loaded (components/parts.svelte.ts).
  (signal) =>
    routed
      ? session.run((authToken) => fetchDashboardPages(authToken, view.choices, signal), signal).then(withParts)
      : Promise.reject(new EmbedUnavailableError()),
  (pages) => token.nextDelayMs(nextDelayMs(pages)),
  host,
  (pages, first) => {
    token.worked();
    view.report(pages, first);
  },
  () => token.refused(),
  target,
);

/** A page's own range picker. */
function pick(page: EmbeddedPage, range: RangeInput): void {
  if (view.pick(page, range)) void embed.refresh();
}

await speaking;
mount(DashboardApp, {
  target,
  props: { embed, width: new ContentWidth(target), titled: params.titled, locale: params.locale, onpick: pick },
});
host.listen((command) => {
  if (command.type === 'porthole:set-range') {
    if (view.setRange(command.range, embed.data)) void embed.refresh();
  } else if (command.type === 'porthole:set-timezone') {
    const zone = knownZone(command.timezone, host);
    if (zone) {
      view.setTimezone(zone);
      void embed.refresh();
    }
  } else if (command.type === 'porthole:set-theme') applyAppearance(document.documentElement, { theme: command.theme, bordered: params.bordered });
  else if (command.type === 'porthole:set-token') {
    if (routed) {
      token.replace(command.token);
      session.reset();
      void embed.refresh();
    }
  } else void embed.refresh();
});
host.observeHeight(target);
void embed.refresh();
