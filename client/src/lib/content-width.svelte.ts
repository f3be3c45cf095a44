/**
 * The width of an element's content box, in CSS pixels, kept up to date: what the widget grid and
 * its charts are laid out in (#app holds nothing but blocks, so its content width is theirs).
 * Cheaper in the embed's bundle than `bind:clientWidth`, which brings a ResizeObserver helper of its own.
 */
export class ContentWidth {
  #value = $state(0);

  constructor(element: Element) {
    new ResizeObserver(([entry]) => {
      this.#value = entry!.contentRect.width;
    }).observe(element);
  }

  get value(): number {
    return this.#value;
  }
}
