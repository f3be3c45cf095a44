import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

export const pagesResolvers: Resolvers = {
  Query: {
    page: (_, { id }, context) => context.services.pages.get(requireViewer(context), id),
    pages: (_, __, context) => context.services.pages.list(requireViewer(context)),
    previewWidget: (_, { input }, context) => context.services.pages.preview(requireViewer(context), input),
  },
  Mutation: {
    createPage: (_, { input }, context) => context.services.pages.create(requireViewer(context), input),
    updatePage: (_, { id, input }, context) => context.services.pages.update(requireViewer(context), id, input),
    deletePage: (_, { id }, context) => context.services.pages.delete(requireViewer(context), id),
  },
  Page: {
    problems: (page, _, context) => context.services.pages.problems(page),
  },
};
