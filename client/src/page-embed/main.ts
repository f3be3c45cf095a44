import { mount } from 'svelte';
import { EmbedUnavailableError } from '../api/graphql';
import { fetchEmbeddedPage, type EmbeddedPage, type RangeInput } from '../api/operations';
import { ContentWidth } from '../lib/content-width.svelte';
import { HostChannel } from '../lib/host';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { applyAppearance, readEmbedParams } from '../lib/params';
import { claimsOf, servedByPageRoute } from '../lib/route-guard';
import { ViewState } from '../lib/view-state.svelte';
import { ViewerIdentity } from '../lib/viewer-identity.svelte';
import '../styles/theme.css';
import PageEmbedApp from './PageEmbedApp.svelte';

const params = readEmbedParams(location.search, 't');
applyAppearance(document.documentElement, params);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const view = new ViewState(params.timezone, host);
// Anywhere but its route (and the frames its token allows), the token is never sent.
const routed = servedByPageRoute(location, params.token);
// Who is viewing (SELF and WORKSPACE embeds open only for people signed in); a new identity loads again.
const identity = new ViewerIdentity(() => void embed.refresh());
const embed: LiveEmbed<EmbeddedPage> = new LiveEmbed(
  (signal) => (routed ? fetchEmbeddedPage(params.token, view.choices, signal, identity.token) : Promise.reject(new EmbedUnavailableError())),
  (page) => refreshDelayMs(page.refreshSeconds),
  host,
  (page, first) => view.report(page, first),
);

/** A range from the picker or the host page: load it now, if the page lets the viewer change it. */
function pick(range: RangeInput): void {
  if (view.setRange(range, embed.data)) void embed.refresh();
}

host.listen((command) => {
  if (command.type === 'porthole:set-range') pick(command.range);
  else if (command.type === 'porthole:set-timezone') {
    view.setTimezone(command.timezone);
    void embed.refresh();
  } else if (command.type === 'porthole:set-theme') applyAppearance(document.documentElement, { theme: command.theme, bordered: params.bordered });
  else void embed.refresh();
});

mount(PageEmbedApp, {
  target,
  props: { embed, width: new ContentWidth(target), titled: params.titled, locale: params.locale, onpick: pick, identity },
});
host.observeHeight(target);
// A private embed (SELF, WORKSPACE) first looks for a viewer the browser already lets this frame
// know (same site, or storage access granted): no prompt, no popup. The server decides either way;
// a token found that way has loaded the page already.
const silent = routed && claimsOf(params.token)?.audience !== 'public' && (await identity.trySilently());
if (!silent) void embed.refresh();
