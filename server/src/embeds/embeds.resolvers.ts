import type { AudienceValue, ExportFormatValue } from '../domain/types.js';
import { embedExportNotAllowed, embedUnavailable } from '../errors.js';
import { requireViewer } from '../graphql/context.js';
import type { Audience, ExportFormat, Resolvers } from '../graphql/generated/resolvers-types.js';

const toAudienceValue = (audience: Audience): AudienceValue => audience.toLowerCase() as AudienceValue;
const toAudience = (audience: AudienceValue): Audience => audience.toUpperCase() as Audience;
const toFormatValue = (format: ExportFormat): ExportFormatValue => format.toLowerCase() as ExportFormatValue;
const toFormat = (format: ExportFormatValue): ExportFormat => format.toUpperCase() as ExportFormat;

export const embedsResolvers: Resolvers = {
  Query: {
    pageEmbeds: (_, { pageId }, context) => context.services.embeds.list(requireViewer(context), pageId),
    inspectEmbedToken: (_, { token }, context) => context.services.tokenInspection.inspect(requireViewer(context), token),
  },
  Mutation: {
    mintPageEmbed: async (_, { input }, context) => {
      const minted = await context.services.embeds.mint(requireViewer(context), {
        ...input,
        audience: toAudienceValue(input.audience),
        exports: input.exports?.map(toFormatValue) ?? null,
      });
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
    exports: (embed) => (embed.exports ?? []).map(toFormat),
    exportCount: (embed) => embed.exportCount ?? 0,
    viewers: (embed) =>
      Object.entries(embed.viewers ?? {})
        .map(([viewer, usage]) => ({ viewer, loads: usage.loads ?? 0, exports: usage.exports ?? 0, lastUsedAt: usage.lastUsedAt ?? null }))
        .sort((a, b) => b.loads - a.loads || b.exports - a.exports),
  },
  EmbedViewerUsage: {
    principal: (usage, _, context) => (usage.viewer === 'anonymous' ? null : context.services.principals.inWorkspace(requireViewer(context), usage.viewer)),
  },
  EmbeddedPage: {
    exports: (_, __, context) => (context.embed?.kind === 'page' ? context.embed.exports.map(toFormat) : []),
  },
  Workspace: {
    maxEmbedTtlSeconds: (_, __, context) => context.services.embeds.maxEmbedTtlSeconds,
  },
  EmbedQuery: {
    page: (_, { range, timezone }, context) => {
      if (context.embed?.kind !== 'page') throw embedUnavailable();
      return context.services.embeds.renderPage(context.embed, { range, timezone }, context.client?.address ?? null);
    },
    exportWidget: async (_, { widgetId, format, range, timezone }, context) => {
      if (context.embed?.kind !== 'page' || !context.embedCredentials) throw embedExportNotAllowed();
      const { token, viewerToken } = context.embedCredentials;
      const credentials = { token, viewerToken, address: context.client?.address ?? null };
      const job = await context.services.exports.request(context.embed, credentials, widgetId, toFormatValue(format), { range, timezone });
      return { ...job, format: toFormat(job.format) };
    },
    dashboard: async (_, { range, ranges, timezone }, context) => {
      if (context.embed?.kind !== 'session') throw embedUnavailable();
      return { pages: await context.services.embeds.renderDashboard(context.embed, { range, ranges, timezone }) };
    },
  },
};
