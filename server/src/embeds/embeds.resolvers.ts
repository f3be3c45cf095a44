import type { AudienceValue } from '../domain/types.js';
import { embedUnavailable } from '../errors.js';
import { requireViewer } from '../graphql/context.js';
import type { Audience, Resolvers } from '../graphql/generated/resolvers-types.js';

const toAudienceValue = (audience: Audience): AudienceValue => audience.toLowerCase() as AudienceValue;
const toAudience = (audience: AudienceValue): Audience => audience.toUpperCase() as Audience;

export const embedsResolvers: Resolvers = {
  Query: {
    pageEmbeds: (_, { pageId }, context) => context.services.embeds.list(requireViewer(context), pageId),
    inspectEmbedToken: (_, { token }, context) => context.services.tokenInspection.inspect(requireViewer(context), token),
  },
  Mutation: {
    mintPageEmbed: async (_, { input }, context) => {
      const minted = await context.services.embeds.mint(requireViewer(context), { ...input, audience: toAudienceValue(input.audience) });
      return { ...minted, audience: toAudience(minted.audience) };
    },
    previewPageEmbed: async (_, { pageId }, context) => {
      const minted = await context.services.embeds.preview(requireViewer(context), pageId);
      return { ...minted, audience: toAudience(minted.audience) };
    },
    endPageEmbedPreview: (_, { pageId }, context) => context.services.embeds.endPreview(requireViewer(context), pageId),
    revokePageEmbed: (_, { id }, context) => context.services.embeds.revoke(requireViewer(context), id),
  },
  TokenInspection: {
    audience: (inspection) => (inspection.audience ? toAudience(inspection.audience) : null),
  },
  PageEmbed: {
    audience: (embed) => toAudience(embed.audience),
    minter: (embed, _, context) => context.services.principals.inWorkspace(requireViewer(context), embed.minterId),
    selfMinted: (embed) => embed.selfMinted ?? false,
  },
  Workspace: {
    maxEmbedTtlSeconds: (_, __, context) => context.services.embeds.maxEmbedTtlSeconds,
  },
  EmbedQuery: {
    page: (_, { range, timezone }, context) => {
      if (context.embed?.kind !== 'page') throw embedUnavailable();
      return context.services.embeds.renderPage(context.embed, { range, timezone });
    },
    dashboard: async (_, { range, ranges, timezone }, context) => {
      if (context.embed?.kind !== 'session') throw embedUnavailable();
      return { pages: await context.services.embeds.renderDashboard(context.embed, { range, ranges, timezone }) };
    },
  },
};
