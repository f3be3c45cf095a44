import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const pagesResolvers: Resolvers = {
  Query: {
    page: (_, { id }, context) => context.services.pages.get(requireViewer(context), id),
    pages: (_, __, context) => context.services.pages.list(requireViewer(context)),
  },
  Mutation: {
    createPage: (_, { input }, context) => context.services.pages.create(requireViewer(context), input),
    updatePage: (_, { id, input }, context) => context.services.pages.update(requireViewer(context), id, input),
    deletePage: (_, { id }, context) => context.services.pages.delete(requireViewer(context), id),
  },
  // Pages saved before time zones and ranges existed read as UTC, Monday, all time.
  Page: {
    timezone: (page) => page.timezone ?? 'UTC',
    weekStart: (page) => page.weekStart ?? 'MONDAY',
    dateRange: (page) => page.dateRange ?? null,
  },
};
