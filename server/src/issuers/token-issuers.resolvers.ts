import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const tokenIssuersResolvers: Resolvers = {
  Query: {
    tokenIssuers: (_, __, context) => context.services.tokenIssuers.list(requireViewer(context)),
  },
  Mutation: {
    createTokenIssuer: (_, { input }, context) => context.services.tokenIssuers.create(requireViewer(context), input),
    revokeTokenIssuer: (_, { id }, context) => context.services.tokenIssuers.revoke(requireViewer(context), id),
  },
};
