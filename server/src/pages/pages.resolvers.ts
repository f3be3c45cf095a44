import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import { can, pageAccessOf } from '../policies/policies.js';

export const pagesResolvers: Resolvers = {
  Query: {
    page: (_, { id }, context) => context.services.pages.get(requireViewer(context), id),
    pages: (_, __, context) => context.services.pages.list(requireViewer(context)),
    previewWidget: (_, { input }, context) => context.services.pages.preview(requireViewer(context), input),
    previewEmbeddedWidget: (_, { input, viewing }, context) => context.services.pages.previewEmbedded(requireViewer(context), input, viewing ?? {}),
  },
  Mutation: {
    createPage: (_, { input }, context) => context.services.pages.create(requireViewer(context), input),
    updatePage: (_, { id, input }, context) => context.services.pages.update(requireViewer(context), id, input),
    deletePage: (_, { id }, context) => context.services.pages.delete(requireViewer(context), id),
    setPageAccess: (_, { pageId, sharing, grants }, context) => context.services.pages.setAccess(requireViewer(context), pageId, { sharing, grants }),
  },
  Page: {
    owner: (page, _, context) => context.services.principals.inWorkspace(requireViewer(context), pageAccessOf(page).ownerId),
    author: (page, _, context) => context.services.principals.inWorkspace(requireViewer(context), pageAccessOf(page).authorId),
    authorMissing: (page, _, context) => context.services.pages.authorMissing(page),
    sharing: (page) => pageAccessOf(page).sharing,
    grants: (page) => pageAccessOf(page).grants,
    viewerCanEdit: (page, _, context) => can(requireViewer(context).principal, 'page:edit', page),
    viewerCanManageAccess: (page, _, context) => can(requireViewer(context).principal, 'page:set-access', page),
    problems: (page, _, context) => context.services.pages.problems(page),
    // Pages saved before time zones and ranges existed read as UTC, Monday, all time.
    timezone: (page) => page.timezone ?? 'UTC',
    weekStart: (page) => page.weekStart ?? 'MONDAY',
    dateRange: (page) => page.dateRange ?? null,
  },
  Widget: {
    // Widgets saved before click events existed send none.
    clickEvents: (widget) => widget.clickEvents ?? false,
  },
  PageGrant: {
    principal: (grant, _, context) => context.services.principals.inWorkspace(requireViewer(context), grant.principalId),
  },
};
