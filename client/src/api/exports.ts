import type { ExportFormat, ExportWidgetSelectionFragment } from '../generated/operations.js';
import { EXPORT_QUERY_HASH } from '../generated/embed-documents.js';
import { requestGraphQL } from './graphql.js';
import type { ViewChoices } from './operations.js';

export type { ExportFormat };

/** What an export is asked with: the embed's token, the signed-in viewer's (if any), and the viewer's choices. */
export interface ExportCredentials {
  token: string;
  viewer: string | null;
  choices: ViewChoices;
}

/**
 * A one-time download URL for one widget, as the page renders for the same token and choices.
 * Imported only by the export buttons (their own chunk), so an embed without exports never loads it.
 */
export async function requestExport(widgetId: string, format: ExportFormat, credentials: ExportCredentials, signal: AbortSignal): Promise<string> {
  const { token, viewer, choices } = credentials;
  const answer = await requestGraphQL<ExportWidgetSelectionFragment>('/embed/graphql', { hash: EXPORT_QUERY_HASH }, token, signal, { widgetId, format, ...choices }, viewer);
  return String(answer.exportWidget.url);
}
