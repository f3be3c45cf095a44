import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const recordsResolvers: Resolvers = {
  Mutation: {
    ingestRecords: async (_, { dataset, records }, context) => ({ inserted: await context.services.records.ingest(requireViewer(context), dataset, records) }),
  },
};
