import { Resource } from '../../lib/resource.svelte';
import { fetchPage, listPageEmbeds, mintPageEmbed, revokePageEmbed, type MintedEmbed, type PageDetails, type PageEmbed } from '../api/console-api';
import { messageOf } from '../api/graphql-client';

/** The preview token's lifetime: long enough to look, short enough not to matter if it leaks. */
const PREVIEW_TTL_SECONDS = 300;
/** Mint the next preview token this long before the current one expires. */
const RENEW_BEFORE_MS = 30_000;

/**
 * One open page: its definition, a live preview and its embeds.
 *
 * The preview is a real `SELF` embed token (5 minutes) opened in the real embed page, so it shows
 * exactly what the viewer's own embed would. Like every mint it is listed under the page's embeds.
 */
export class PageDetail {
  readonly page: Resource<PageDetails>;
  readonly embeds: Resource<PageEmbed[]>;
  #preview = $state.raw<MintedEmbed | null>(null);
  #previewError = $state('');
  #revoking = $state<string | null>(null);
  #revokeError = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #id: string;

  constructor(id: string) {
    this.#id = id;
    this.page = new Resource((signal) => fetchPage(id, signal));
    this.embeds = new Resource((signal) => listPageEmbeds(id, signal));
  }

  get id(): string {
    return this.#id;
  }
  get preview(): MintedEmbed | null {
    return this.#preview;
  }
  get previewError(): string {
    return this.#previewError;
  }
  /** The embed whose revocation is in flight. */
  get revoking(): string | null {
    return this.#revoking;
  }
  get revokeError(): string {
    return this.#revokeError;
  }

  async open(): Promise<void> {
    await this.page.load();
    if (!this.page.data) return;
    // The preview is minted first so that the list includes it (marked as this preview).
    await this.renewPreview();
    await this.embeds.load();
  }

  async renewPreview(): Promise<void> {
    clearTimeout(this.#timer);
    try {
      const minted = await mintPageEmbed({
        pageId: this.#id,
        audience: 'SELF',
        ttlSeconds: PREVIEW_TTL_SECONDS,
      });
      this.#preview = minted;
      this.#previewError = '';
      const renewIn = Date.parse(minted.expiresAt) - Date.now() - RENEW_BEFORE_MS;
      this.#timer = setTimeout(() => void this.renewPreview(), Math.max(RENEW_BEFORE_MS, renewIn));
    } catch (error) {
      this.#preview = null;
      this.#previewError = messageOf(error);
    }
  }

  async revoke(embedId: string): Promise<void> {
    this.#revoking = embedId;
    this.#revokeError = '';
    try {
      await revokePageEmbed(embedId);
      await this.embeds.load();
    } catch (error) {
      this.#revokeError = messageOf(error);
    } finally {
      this.#revoking = null;
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.page.abort();
    this.embeds.abort();
  }
}
