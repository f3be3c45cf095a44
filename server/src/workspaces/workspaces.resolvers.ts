import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { dashboardOriginsOf } from './workspaces.service.js';

export const workspacesResolvers: Resolvers = {
  Mutation: {
    updateWorkspace: (_, { input }, context) => context.services.workspaces.update(requireViewer(context), input),
  },
  Workspace: {
    // Every principal may read it: the same list is in the CSP header of every dashboard load.
    dashboardOrigins: (workspace) => dashboardOriginsOf(workspace),
  },
};
