import type { ExportFormat, ExportWidgetSelectionFragment } from '../generated/operations.js';
import { EXPORT_QUERY_HASH } from '../generated/export-document.js';
import { requestGraphQL } from './graphql.js';
import type { ViewChoices } from './operations.js';

/** What an export is asked with: the page's current token, the viewer's choices and the signed-in viewer (if any). */
export interface ExportAsk {
  token: string;
  choices: ViewChoices;
  viewer: string | null;
}

/**
 * A one-time download URL for one widget, as the page renders for the same token, viewer and choices.
 * A module of its own, imported only by page-embed/export-buttons.ts: the request and its document's
 * hash load with the buttons, never in an embed's first load.
 */
export async function requestExport(widgetId: string, format: ExportFormat, { token, choices, viewer }: ExportAsk): Promise<string> {
  const answer = await requestGraphQL<ExportWidgetSelectionFragment>(
    // The embed endpoint, as api/operations.ts names it (same origin as the embed HTML).
    '/embed/graphql',
    { hash: EXPORT_QUERY_HASH },
    token,
    AbortSignal.timeout(30_000),
    { widgetId, format, ...choices },
    viewer,
  );
  return String(answer.exportWidget.url);
}
