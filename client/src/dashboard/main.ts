import { mount } from 'svelte';
import { EmbedUnavailableError } from '../api/graphql';
import { fetchDashboardPages, type EmbeddedPage } from '../api/operations';
import { ContentWidth } from '../lib/content-width.svelte';
import { HostChannel } from '../lib/host';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { applyAppearance, readEmbedParams } from '../lib/params';
import { servedByDashboardRoute } from '../lib/route-guard';
import '../styles/theme.css';
import DashboardApp from './DashboardApp.svelte';
import { DashboardSession } from './session';

const params = readEmbedParams(location.search, 'token');
applyAppearance(document.documentElement, params);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const session = new DashboardSession(params.token);

/** Reload at the fastest page refresh, and no later than the session's renewal time, so it never lapses. */
function nextDelayMs(pages: { refreshSeconds: number | null }[]): number {
  const refreshes = pages.map((page) => refreshDelayMs(page.refreshSeconds)).filter((ms) => ms !== null);
  return Math.min(session.renewsInMs, ...refreshes);
}

// Anywhere but its route, the embed token is never exchanged.
const routed = servedByDashboardRoute(location);
const embed = new LiveEmbed<EmbeddedPage[]>(
  (signal) =>
    routed ? session.run((authToken) => fetchDashboardPages(authToken, { ranges: [], timezone: params.timezone }, signal), signal) : Promise.reject(new EmbedUnavailableError()),
  nextDelayMs,
  host,
);

mount(DashboardApp, {
  target,
  props: { embed, width: new ContentWidth(target), titled: params.titled, locale: params.locale },
});
host.listen((command) => {
  if (command.type === 'porthole:set-theme') applyAppearance(document.documentElement, { theme: command.theme, bordered: params.bordered });
  else if (command.type === 'porthole:refresh') void embed.refresh();
});
host.observeHeight(target);
void embed.refresh();
