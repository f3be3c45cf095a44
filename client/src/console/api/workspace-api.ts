import { ConsoleDashboardOriginsDocument, ConsoleUpdateDashboardOriginsDocument } from '../../generated/operations';
import { gql } from './graphql-client';

/** The workspace's own settings. */

/** The sites allowed to frame the workspace's user dashboards (empty: any site). */
export const fetchDashboardOrigins = async (signal?: AbortSignal): Promise<string[]> =>
  (await gql(ConsoleDashboardOriginsDocument, {}, signal)).viewer.workspace.dashboardOrigins;

/** Replaces the list (admins); the server checks each origin and answers with the list it stored. */
export const saveDashboardOrigins = async (origins: string[]): Promise<string[]> =>
  (await gql(ConsoleUpdateDashboardOriginsDocument, { origins })).updateWorkspace.dashboardOrigins;
