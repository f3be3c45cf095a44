import type { GraphiQLProps } from 'graphiql';

type GraphiQLStorage = NonNullable<GraphiQLProps['storage']>;

/** Replaces every `headers` property, at any depth, with null. */
function withoutHeaders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutHeaders);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'headers' ? null : withoutHeaders(inner)]));
}

/**
 * GraphiQL's storage (tabs, history) over localStorage, minus request headers: its history
 * keeps each run's headers, and those hold API keys, which must never rest in the browser.
 */
export function headerlessStorage(base: Storage): GraphiQLStorage {
  return {
    getItem: (key) => base.getItem(key),
    setItem(key, value) {
      let stored = value;
      try {
        stored = JSON.stringify(withoutHeaders(JSON.parse(value)));
      } catch {
        // Not JSON (a plain query text, say): it holds no headers.
      }
      base.setItem(key, stored);
    },
    removeItem: (key) => base.removeItem(key),
    clear: () => base.clear(),
    get length() {
      return base.length;
    },
  };
}
