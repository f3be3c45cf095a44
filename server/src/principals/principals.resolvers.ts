import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { can } from '../policies/policies.js';

export const principalsResolvers: Resolvers = {
  Query: {
    viewer: (_, __, context) => requireViewer(context).principal,
    principals: (_, __, context) => context.services.principals.list(requireViewer(context)),
    apiKeys: (_, __, context) => context.services.principals.listApiKeys(requireViewer(context)),
  },
  Mutation: {
    createPrincipal: (_, { input }, context) => context.services.principals.createPrincipal(requireViewer(context), input),
    updatePrincipal: (_, { id, input }, context) => context.services.principals.updatePrincipal(requireViewer(context), id, input),
    deletePrincipal: (_, { id }, context) => context.services.principals.deletePrincipal(requireViewer(context), id),
    createApiKey: (_, { name }, context) => context.services.principals.createApiKey(requireViewer(context), name),
    revokeApiKey: (_, { id }, context) => context.services.principals.revokeApiKey(requireViewer(context), id),
  },
  Principal: {
    // A principal is only ever shown inside its own workspace, which is the viewer's.
    workspace: (_, __, context) => requireViewer(context).workspace,
    // Another principal's owners would name end users the viewer may not know of.
    dataAccess: (principal, _, context) => (can(requireViewer(context).principal, 'principal:read-data-access', principal) ? principal.dataAccess : null),
    // A person's email is theirs and their admins' to see, like their data access.
    email: (principal, _, context) => (can(requireViewer(context).principal, 'principal:read-email', principal) ? (principal.email ?? null) : null),
    invitationExpiresAt: (principal, _, context) => context.services.principals.invitationExpiresAt(requireViewer(context), principal),
  },
};
