/**
 * HTML that is safe by construction, for the page the embeds insert with `{@html}` (drawn by Svelte
 * templates, it put the page embed over its byte budget; see client/README.md).
 *
 * Only `markup` makes Markup, and it escapes every value put into its template unless that value is
 * Markup itself. Data (titles, column names, cells, labels) therefore can only ever become text or
 * the value of a quoted attribute. The class is not exported, so no other module can wrap a string
 * of its own as Markup.
 */
class Markup {
  constructor(readonly source: string) {}
}

export type { Markup };

/** What a template accepts: Markup as is; text and numbers escaped; nothing for null, undefined, false, ''. */
export type MarkupValue = Markup | string | number | null | undefined | false | readonly MarkupValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const piece = (value: MarkupValue): string =>
  value instanceof Markup
    ? value.source
    : Array.isArray(value)
      ? value.map(piece).join('')
      : value || value === 0
        ? String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!)
        : '';

/**
 * A tagged template: ``markup`<p title="${title}">${text}</p>` ``. Values go in text or inside a quoted
 * attribute value; an unquoted one (`x=${…}`) throws, as a space in the value could add an attribute.
 * Arrays are joined, each item treated the same way.
 */
export function markup(strings: TemplateStringsArray, ...values: MarkupValue[]): Markup {
  let source = strings[0]!;
  values.forEach((value, i) => {
    if (strings[i]!.endsWith('=')) throw new Error('Quote every attribute value.');
    source += piece(value) + strings[i + 1];
  });
  return new Markup(source);
}
