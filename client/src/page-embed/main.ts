import { mount } from 'svelte';
import { fetchEmbeddedPage, type EmbeddedPage, type RangeInput } from '../api/operations';
import { ContentWidth } from '../lib/content-width.svelte';
import { HostChannel } from '../lib/host';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { applyAppearance, readEmbedParams } from '../lib/params';
import { ViewState } from '../lib/view-state.svelte';
import '../styles/theme.css';
import PageEmbedApp from './PageEmbedApp.svelte';

const params = readEmbedParams(location.search, 't');
applyAppearance(document.documentElement, params);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const view = new ViewState(params.timezone, host);
const embed: LiveEmbed<EmbeddedPage> = new LiveEmbed(
  (signal) => fetchEmbeddedPage(params.token, view.choices, signal),
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
  props: { embed, width: new ContentWidth(target), titled: params.titled, locale: params.locale, onpick: pick },
});
host.observeHeight(target);
void embed.refresh();
