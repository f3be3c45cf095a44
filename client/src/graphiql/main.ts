import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { consoleViewer, sameOriginFetcher } from './fetcher.js';
import { headerlessStorage } from './storage.js';

/**
 * GraphiQL for POST /graphql, bundled from npm into Porthole (no CDN): signed in to the console
 * on this origin, it runs as that member; otherwise paste an API key into the header editor.
 */
const ENDPOINT = '/graphql';
const DEFAULT_QUERY = `# Porthole's partner and console API. Press the run button (or Ctrl-Enter).
{
  viewer {
    name
    role
    workspace {
      slug
    }
  }
}
`;
const KEY_PLACEHOLDER = `{
  "X-API-KEY": ""
}`;

async function start(): Promise<void> {
  const viewer = await consoleViewer(ENDPOINT);
  const identity = viewer ? `signed in as ${viewer.name} (${viewer.workspace})` : 'not signed in: put an API key in Headers';
  const root = createRoot(document.getElementById('graphiql')!);
  root.render(
    createElement(
      GraphiQL,
      {
        fetcher: sameOriginFetcher(ENDPOINT),
        defaultQuery: DEFAULT_QUERY,
        // Signed out, the header editor opens with a slot for the key; it is never persisted.
        ...(viewer ? {} : { defaultHeaders: KEY_PLACEHOLDER, defaultEditorToolsVisibility: 'headers' as const }),
        shouldPersistHeaders: false,
        storage: headerlessStorage(localStorage),
      },
      createElement(GraphiQL.Logo, null, createElement('span', { className: 'porthole-logo', 'data-testid': 'graphiql-identity' }, `Porthole · ${identity}`)),
    ),
  );
}

void start();
