import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const usersResolvers: Resolvers = {
  Query: {
    user: (_, { id }, context) => context.services.users.get(requireViewer(context), id),
    users: (_, args, context) => context.services.users.list(requireViewer(context), args),
    embedToken: async (_, { userId }, context) => ({ token: await context.services.users.embedToken(requireViewer(context), userId) }),
  },
  Mutation: {
    validateEmbedToken: (_, { embedToken }, context) => context.services.users.exchange(embedToken),
    createUser: (_, { input }, context) => context.services.users.create(requireViewer(context), input),
    regenerateEmbedToken: async (_, { userId }, context) => ({ token: await context.services.users.regenerateEmbedToken(requireViewer(context), userId) }),
    suspendUser: (_, { id }, context) => context.services.users.setStatus(requireViewer(context), id, 'SUSPENDED'),
    reactivateUser: (_, { id }, context) => context.services.users.setStatus(requireViewer(context), id, 'ACTIVE'),
    deleteUser: (_, { id, eraseRecords }, context) => context.services.users.delete(requireViewer(context), id, { eraseRecords: eraseRecords ?? false }),
  },
};
