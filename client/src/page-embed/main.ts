import { mount } from 'svelte';
import { EmbedUnavailableError } from '../api/graphql';
import { fetchEmbeddedPage, type EmbeddedPage, type RangeInput } from '../api/operations';
import { ContentWidth } from '../lib/content-width.svelte';
import { EmbedToken } from '../lib/embed-token';
import { HostChannel } from '../lib/host';
import { dataOrigin, hookHost } from '../lib/host-hook';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { speak } from '../lib/i18n';
import { applyAppearance, knownZone, readEmbedParams, themeOf } from '../lib/params';
import { claimsOf, servedByPageRoute } from '../lib/route-guard';
import { ViewState } from '../lib/view-state.svelte';
import type { ViewerIdentity } from '../lib/viewer-identity.svelte';
import { withParts } from '../components/parts.svelte';
import '../styles/sign-in.css';
import '../styles/theme.css';
import PageEmbedApp from './PageEmbedApp.svelte';

const params = readEmbedParams(location.search, 't');
const root = document.documentElement;
const claims = claimsOf(params.token);
/** The theme: the host's, else the token's and then the page's (`EmbeddedPage.theme`), else light. */
const appear = (own: unknown) => applyAppearance(root, { theme: themeOf(params.theme, own), bordered: params.bordered });
appear(claims?.theme);
// The embed's words: the viewer's locale, else the token's, else the browser's (fetched while the rest starts).
const speaking = speak(params.locale ?? (typeof claims?.locale === 'string' ? claims.locale : navigator.language), root);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const view = new ViewState(knownZone(params.timezone, host), host);
// Anywhere but its route (and the frames its token allows), the token is never sent.
const routed = servedByPageRoute(location, params.token);
// The token sent from now on: the host page may hand over another (porthole:set-token).
const token = new EmbedToken(routed ? params.token : '', 't', host);
// Who is viewing (SELF and WORKSPACE embeds open only for people signed in); a new identity loads again.
// Loaded on use: by a private embed at start, or by the sign-in prompt; a public embed never needs it.
let identity: ViewerIdentity | undefined;
let identifying: Promise<ViewerIdentity> | undefined;
const viewer = (): Promise<ViewerIdentity> =>
  (identifying ??= import('../lib/viewer-identity.svelte').then((module) => (identity = new module.ViewerIdentity(() => void embed.refresh()))));
const embed: LiveEmbed<EmbeddedPage> = new LiveEmbed(
  // Shown once the chart and table code its widgets need has loaded (components/parts.svelte.ts).
  (signal) =>
    routed ? fetchEmbeddedPage(token.value, view.choices, signal, identity?.token ?? null).then(withParts) : Promise.reject(new EmbedUnavailableError()),
  (page) => token.nextDelayMs(refreshDelayMs(page.refreshSeconds)),
  host,
  (page, first) => {
    token.worked();
    appear(page.theme);
    view.report(page, first);
  },
  () => token.refused(),
  target,
);

/** A range from the picker or the host page: load it now, if the page lets the viewer change it. */
function pick(range: RangeInput): void {
  if (view.setRange(range, embed.data)) void embed.refresh();
}

// Clicks to the host, and its highlight and get-data/get-image commands (only with a data origin).
const hostData = hookHost(target, () => embed.data, host, dataOrigin(params.parentOrigin, claims, location));

host.listen((command) => {
  if (hostData(command)) return;
  if (command.type === 'porthole:set-range') pick(command.range);
  else if (command.type === 'porthole:set-timezone') {
    const zone = knownZone(command.timezone, host);
    if (zone) {
      view.setTimezone(zone);
      void embed.refresh();
    }
  } else if (command.type === 'porthole:set-theme') {
    params.theme = command.theme;
    appear(null);
  } else if (command.type === 'porthole:set-token') {
    // Only a token for this same page, allowed in these frames: the route guard, as at start-up.
    if (!routed || !servedByPageRoute(location, command.token)) console.warn('Porthole: porthole:set-token ignored: the token is not for this page.');
    else {
      token.replace(command.token);
      void embed.refresh();
    }
  } else void embed.refresh();
});

await speaking;
mount(PageEmbedApp, {
  target,
  props: {
    embed,
    width: new ContentWidth(target),
    titled: params.titled,
    locale: params.locale,
    onpick: pick,
    viewer,
    ask: () => ({ token: token.value, choices: view.choices, viewer: identity?.token ?? null }),
  },
});
host.observeHeight(target);
// A private embed (SELF, WORKSPACE) first looks for a viewer the browser already lets this frame
// know (same site, or storage access granted): no prompt, no popup. The server decides either way;
// a token found that way has loaded the page already. Not awaited here: the chunk loaded on use
// imports this module, which must have finished evaluating first (a top-level await would deadlock).
if (routed && claims?.audience !== 'public')
  void viewer()
    .then((identity) => identity.trySilently())
    .catch(() => false)
    .then((silent) => {
      if (!silent) void embed.refresh();
    });
else void embed.refresh();
