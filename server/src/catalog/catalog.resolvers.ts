import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const catalogResolvers: Resolvers = {
  Query: {
    datasets: (_, __, context) => context.services.catalog.list(requireViewer(context)),
    dataset: (_, { name }, context) => context.services.catalog.get(requireViewer(context), name),
    fieldValues: (_, { dataset, field, limit }, context) => context.services.catalog.fieldValues(requireViewer(context), dataset, field, limit),
  },
};
