import { requireViewer } from '../graphql/context.js';
import type { Resolvers } from '../graphql/generated/resolvers-types.js';

const OUTCOMES = { SUCCESS: 'success', FAILURE: 'failure' } as const;

export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: async (_, { filter, first, after }, context) => {
      const outcome = filter?.outcome ? (OUTCOMES[filter.outcome.toUpperCase() as keyof typeof OUTCOMES] ?? filter.outcome) : null;
      const page = await context.services.audit.list(
        requireViewer(context),
        { ...filter, outcome: outcome as 'success' | 'failure' | null },
        first ?? 50,
        after,
      );
      return { nodes: page.events, endCursor: page.endCursor, hasNextPage: page.hasNextPage };
    },
    verifyAuditChain: (_, __, context) => context.services.audit.verify(requireViewer(context)),
  },
  AuditEvent: {
    actor: (event) => ({ ...event.actor, kind: event.actor.kind.toUpperCase().replace('-', '_') }),
    outcome: (event) => event.outcome.toUpperCase(),
  },
};
