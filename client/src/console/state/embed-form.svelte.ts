import { mintPageEmbed, type Audience, type ExportFormat, type MintedEmbed, type Theme } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { parseOrigins, toRuleInputs, type RuleDraft } from '../lib/rules';

/** The Embed dialog's form: choices, the mint, and the minted embed shown afterwards. */
export class EmbedForm {
  label = $state('');
  audience = $state<Audience>('SELF');
  ttlSeconds = $state(86_400);
  /** The token's theme; '' for the page's. */
  theme = $state<Theme | ''>('');
  originsText = $state('');
  rules = $state<RuleDraft[]>([]);
  /** The formats viewers may download widgets in (none by default). */
  exports = $state<ExportFormat[]>([]);
  #creating = $state(false);
  #error = $state('');
  #minted = $state.raw<MintedEmbed | null>(null);
  readonly #pageId: string;
  readonly #onCreated: () => void;

  constructor(pageId: string, onCreated: () => void) {
    this.#pageId = pageId;
    this.#onCreated = onCreated;
  }

  get creating(): boolean {
    return this.#creating;
  }
  get error(): string {
    return this.#error;
  }
  get minted(): MintedEmbed | null {
    return this.#minted;
  }
  /** The origins as they will be sent, for checking whether this console may frame the preview. */
  get origins(): string[] {
    return parseOrigins(this.originsText);
  }

  addRule(): void {
    this.rules.push({ field: '', op: 'EQ', value: '' });
  }

  removeRule(index: number): void {
    this.rules.splice(index, 1);
  }

  async create(): Promise<void> {
    this.#creating = true;
    this.#error = '';
    try {
      this.#minted = await mintPageEmbed({
        pageId: this.#pageId,
        audience: this.audience,
        label: this.label.trim() || null,
        ttlSeconds: this.ttlSeconds,
        ...(this.theme ? { theme: this.theme } : {}),
        origins: this.origins,
        rules: toRuleInputs(this.rules),
        exports: this.exports,
      });
      this.#onCreated();
    } catch (error) {
      this.#error = messageOf(error);
    } finally {
      this.#creating = false;
    }
  }

  /** Back to the form for another embed, keeping the choices. */
  again(): void {
    this.#minted = null;
    this.#error = '';
  }
}
