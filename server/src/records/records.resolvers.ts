import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const recordsResolvers: Resolvers = {
  Mutation: {
    ingestRecords: (_, { dataset, records }, context) => context.services.records.ingest(requireViewer(context), dataset, records),
    deleteRecords: async (_, { dataset, owner }, context) => ({ deleted: await context.services.records.eraseOwner(requireViewer(context), owner, dataset) }),
  },
};
