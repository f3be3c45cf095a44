import { Resource } from '../../lib/resource.svelte';
import {
  deletePage,
  endPageEmbedPreview,
  fetchPage,
  listPageEmbeds,
  previewPageEmbed,
  revokePageEmbed,
  type MintedEmbed,
  type PageDetails,
  type PageEmbed,
} from '../api/console-api';
import { messageOf } from '../api/graphql-client';

/** Mint the next preview token this long before the current one expires. */
const RENEW_BEFORE_MS = 30_000;

/**
 * One open page: its definition, a live preview and its embeds.
 *
 * The preview is a real `SELF` embed token (5 minutes) opened in the real embed page, so it shows
 * exactly what the viewer's own embed would. It is one reused embed per page and viewer
 * (`previewPageEmbed`), not listed among the page's embeds, and it is ended when the view closes;
 * a renewal still in flight at that moment ends it again instead of scheduling another.
 */
export class PageDetail {
  readonly page: Resource<PageDetails>;
  readonly embeds: Resource<PageEmbed[]>;
  #preview = $state.raw<MintedEmbed | null>(null);
  #previewError = $state('');
  #revoking = $state<string | null>(null);
  #revokeError = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #deleting = $state(false);
  #deleteError = $state('');
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
  get deleting(): boolean {
    return this.#deleting;
  }
  get deleteError(): string {
    return this.#deleteError;
  }
  /** The page's embeds still live, which deleting the page stops. */
  get liveEmbeds(): PageEmbed[] {
    return (this.embeds.data ?? []).filter((embed) => !embed.revokedAt && Date.parse(embed.expiresAt) > Date.now());
  }

  async open(): Promise<void> {
    await this.page.load();
    if (!this.page.data || this.#closed) return;
    await Promise.all([this.renewPreview(), this.embeds.load()]);
  }

  async renewPreview(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    try {
      const minted = await previewPageEmbed(this.#id);
      if (this.#closed) {
        // The view closed while this renewal was in flight: end what it just extended.
        void endPageEmbedPreview(this.#id).catch(() => undefined);
        return;
      }
      this.#preview = minted;
      this.#previewError = '';
      const renewIn = Date.parse(minted.expiresAt) - Date.now() - RENEW_BEFORE_MS;
      this.#timer = setTimeout(() => void this.renewPreview(), Math.max(RENEW_BEFORE_MS, renewIn));
    } catch (error) {
      if (this.#closed) return;
      this.#preview = null;
      this.#previewError = messageOf(error);
    }
  }

  /** Deletes the page (and so stops every embed of it); resolves true when it is gone. */
  async deletePage(): Promise<boolean> {
    this.#deleting = true;
    this.#deleteError = '';
    try {
      await deletePage(this.#id);
      return true;
    } catch (error) {
      this.#deleteError = messageOf(error);
      return false;
    } finally {
      this.#deleting = false;
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

  /** Stops renewing and ends the preview embed now, so it does not outlive the view. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.page.abort();
    this.embeds.abort();
    if (this.#preview) void endPageEmbedPreview(this.#id).catch(() => undefined);
    this.#preview = null;
  }
}
