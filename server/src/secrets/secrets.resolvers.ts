import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const secretsResolvers: Resolvers = {
  Query: {
    signingSecrets: (_, __, context) => context.services.secrets.list(requireViewer(context)),
    signingSecretImpact: (_, { id }, context) => context.services.secrets.impact(requireViewer(context), id),
  },
  Mutation: {
    createSigningSecret: (_, { name }, context) => context.services.secrets.create(requireViewer(context), name),
    revokeSigningSecret: (_, { id }, context) => context.services.secrets.revoke(requireViewer(context), id),
  },
};
