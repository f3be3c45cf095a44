import { mount } from 'svelte';
import { fetchEmbeddedPage } from '../api/operations';
import { ContentWidth } from '../lib/content-width.svelte';
import { HostChannel } from '../lib/host';
import { LiveEmbed, refreshDelayMs } from '../lib/live-embed.svelte';
import { applyAppearance, readEmbedParams } from '../lib/params';
import '../styles/theme.css';
import PageEmbedApp from './PageEmbedApp.svelte';

const params = readEmbedParams(location.search, 't');
applyAppearance(document.documentElement, params);

const target = document.getElementById('app')!;
const host = new HostChannel(params.parentOrigin);
const embed = new LiveEmbed(
  (signal) => fetchEmbeddedPage(params.token, signal),
  (page) => refreshDelayMs(page.refreshSeconds),
  host,
);

mount(PageEmbedApp, {
  target,
  props: { embed, width: new ContentWidth(target), titled: params.titled },
});
host.observeHeight(target);
void embed.refresh();
