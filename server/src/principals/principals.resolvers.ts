import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const principalsResolvers: Resolvers = {
  Query: {
    viewer: (_, __, context) => requireViewer(context).principal,
    principals: (_, __, context) => context.services.principals.list(requireViewer(context)),
    apiKeys: (_, __, context) => context.services.principals.listApiKeys(requireViewer(context)),
  },
  Mutation: {
    createPrincipal: (_, { input }, context) => context.services.principals.createPrincipal(requireViewer(context), input),
    deletePrincipal: (_, { id }, context) => context.services.principals.deletePrincipal(requireViewer(context), id),
    createApiKey: (_, { name }, context) => context.services.principals.createApiKey(requireViewer(context), name),
    revokeApiKey: (_, { id }, context) => context.services.principals.revokeApiKey(requireViewer(context), id),
  },
  Principal: {
    // A principal is only ever shown inside its own workspace, which is the viewer's.
    workspace: (_, __, context) => requireViewer(context).workspace,
  },
};
