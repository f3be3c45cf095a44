import { previewWidget, type PreviewedWidget, type PreviewViewingInput, type WidgetInput } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { blankWidget, fromWidget, toWidgetInput, type WidgetFields } from '../lib/widget-draft';

/** How long typing must pause before the preview is asked for again. */
export const PREVIEW_DEBOUNCE_MS = 400;

let nextKey = 0;

/**
 * One widget being edited, with a live preview rendered by the server as the page's embed would show
 * it (`previewEmbeddedWidget`, in the page's zone and range), debounced.
 */
export class WidgetDraft {
  /** A stable identity for keyed lists while widgets move. */
  readonly key = `w${(nextKey += 1)}`;
  fields = $state<WidgetFields>(blankWidget());
  #data = $state.raw<PreviewedWidget | null>(null);
  #error = $state('');
  #loading = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;
  #last = '';

  constructor(fields?: WidgetFields | Parameters<typeof fromWidget>[0]) {
    if (fields) this.fields = 'query' in fields ? fromWidget(fields) : fields;
  }

  get data(): PreviewedWidget | null {
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

  /** Asks for a preview once typing pauses; an unchanged widget, viewed the same way, is not asked for again. */
  schedulePreview(position: number, viewing: PreviewViewingInput): void {
    const input = this.input(position);
    const signature = JSON.stringify([input, viewing]);
    if (signature === this.#last) return;
    clearTimeout(this.#timer);
    // Pending from now, not only once the request leaves: the preview says it is on its way.
    this.#loading = input.query.dataset !== '';
    this.#timer = setTimeout(() => void this.#preview(input, viewing, signature), PREVIEW_DEBOUNCE_MS);
  }

  async #preview(input: WidgetInput, viewing: PreviewViewingInput, signature: string): Promise<void> {
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
      const data = await previewWidget(input, viewing, controller.signal);
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
