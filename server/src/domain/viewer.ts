import { AppError } from '../errors.js';
import type { PrincipalDoc, WorkspaceDoc } from './types.js';

/** The authenticated principal of a `/graphql` request (API key or console session). */
export interface Viewer {
  principal: PrincipalDoc;
  workspace: WorkspaceDoc;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Throws FORBIDDEN unless the viewer is a workspace admin. */
export function requireAdmin(viewer: Viewer, action: string): void {
  if (viewer.principal.role !== 'ADMIN') throw new AppError('FORBIDDEN', `Only a workspace admin may ${action}.`);
}
