import type { WorkspaceDoc } from '../domain/types.js';
import { parseOrigin } from '../domain/validation.js';
import type { Viewer } from '../domain/viewer.js';
import { AppError, badInput } from '../errors.js';
import { authorize } from '../policies/policies.js';
import type { Store } from '../store/port.js';

/** How many sites may frame a workspace's user dashboards: a CSP header, sent on every dashboard load. */
export const MAX_DASHBOARD_ORIGINS = 20;

/** Fields left out (or null) stay as they are. */
export interface UpdateWorkspaceInput {
  dashboardOrigins?: readonly string[] | null;
}

/**
 * The origins allowed to frame the workspace's user dashboards; empty means any site. Stored as
 * `allowedOrigins` (see `WorkspaceDoc`); a document without the field reads as empty.
 */
export const dashboardOriginsOf = (workspace: WorkspaceDoc): string[] => workspace.allowedOrigins ?? [];

/** Each origin checked and written as the browser writes it, duplicates dropped, at most MAX_DASHBOARD_ORIGINS. */
function parseDashboardOrigins(input: readonly string[]): string[] {
  const origins = [...new Set(input.map(parseOrigin))];
  if (origins.length > MAX_DASHBOARD_ORIGINS) throw badInput(`dashboardOrigins: at most ${MAX_DASHBOARD_ORIGINS} origins (${origins.length} given).`);
  return origins;
}

/** The workspace's own settings. */
export class WorkspacesService {
  constructor(private readonly store: Store) {}

  /** Changes the viewer's workspace (admins only); returns it as stored afterwards. */
  async update(viewer: Viewer, input: UpdateWorkspaceInput): Promise<WorkspaceDoc> {
    authorize(viewer, 'workspace:update', viewer.workspace, { code: 'FORBIDDEN', message: 'Only workspace admins can change workspace settings.' });
    const set: Partial<WorkspaceDoc> = {};
    if (input.dashboardOrigins != null) set.allowedOrigins = parseDashboardOrigins(input.dashboardOrigins);
    const match = { _id: viewer.workspace._id };
    const updated = Object.keys(set).length > 0 ? await this.store.workspaces.updateOne(match, { set }) : await this.store.workspaces.findOne(match);
    if (!updated) throw new AppError('NOT_FOUND', 'Workspace not found.');
    return updated;
  }
}
