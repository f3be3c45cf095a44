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
