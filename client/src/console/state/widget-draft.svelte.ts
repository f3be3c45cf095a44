import { previewWidget, type WidgetData, type WidgetInput } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { blankWidget, fromWidget, toWidgetInput, type WidgetFields } from '../lib/widget-draft';

/** How long typing must pause before the preview is asked for again. */
export const PREVIEW_DEBOUNCE_MS = 400;

let nextKey = 0;

/** One widget being edited, with a live preview rendered by the server (`previewWidget`), debounced. */
export class WidgetDraft {
  /** A stable identity for keyed lists while widgets move. */
  readonly key = `w${(nextKey += 1)}`;
  fields = $state<WidgetFields>(blankWidget());
  #data = $state.raw<WidgetData | null>(null);
  #error = $state('');
  #loading = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;
  #last = '';

  constructor(fields?: WidgetFields | Parameters<typeof fromWidget>[0]) {
    if (fields) this.fields = 'query' in fields ? fromWidget(fields) : fields;
  }

  get data(): WidgetData | null {
    return this.#data;
  }
  get error(): string {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  input(position: number): WidgetInput {
    return toWidgetInput(this.fields, `Widget ${position}`);
  }

  /** Asks for a preview once typing pauses; an unchanged widget is not asked for again. */
  schedulePreview(position: number): void {
    const input = this.input(position);
    const signature = JSON.stringify(input);
    if (signature === this.#last) return;
    clearTimeout(this.#timer);
    // Pending from now, not only once the request leaves: the preview says it is on its way.
    this.#loading = input.query.dataset !== '';
    this.#timer = setTimeout(() => void this.#preview(input, signature), PREVIEW_DEBOUNCE_MS);
  }

  async #preview(input: WidgetInput, signature: string): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#last = signature;
    if (!input.query.dataset) {
      this.#data = null;
      this.#error = '';
      this.#loading = false;
      return;
    }
    this.#loading = true;
    try {
      const data = await previewWidget(input, controller.signal);
      if (controller.signal.aborted) return;
      this.#data = data;
      this.#error = '';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#data = null;
      this.#error = messageOf(error);
    } finally {
      if (this.#controller === controller) this.#loading = false;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }
}
