import { z } from 'zod';
import type { PageDoc, Rule, WidgetDoc } from '../domain/types.js';
import { widthOf } from '../domain/types.js';
import type { PageEmbedView } from '../embeds/embed-details.js';
import type { PageInput, WidgetInput } from '../pages/pages.service.js';
import type { Services } from '../services.js';
import { cursorQuery, idParams, type RestApi, type RouteSpec } from './rest-api.js';

/**
 * The page lifecycle over REST (`/api/platform/v1`), snake_case JSON, thin over the same
 * PagesService and EmbedsService methods the GraphQL resolvers call, so the same rules and
 * validation apply. Each page field is named once here, in its schema and in `toPageInput`:
 * a new page field is one line in each.
 */

const literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ruleSchema = z.object({
  field: z.string(),
  op: z.enum(['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'NIN']),
  value: z.union([literal, z.array(literal)]),
});
const ruleInput = z.object({ field: z.string(), op: ruleSchema.shape.op, value: z.unknown().optional() });

const widgetQueryInput = z.object({
  dataset: z.string(),
  filters: z.array(ruleInput).nullish(),
  group_by: z.string().nullish(),
  bucket: z.enum(['HOUR', 'DAY', 'WEEK', 'MONTH']).nullish(),
  metric: z.object({ fn: z.enum(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']), field: z.string().nullish() }).nullish(),
  select: z.array(z.string()).nullish(),
  sort: z.object({ field: z.string(), direction: z.enum(['ASC', 'DESC']).nullish() }).nullish(),
  limit: z.number().int().nullish(),
  series_by: z.string().nullish(),
});
const formatStyle = z.enum(['NUMBER', 'PERCENT', 'CURRENCY', 'DURATION', 'COMPACT']);
const formatInput = z.object({ style: formatStyle, currency: z.string().nullish(), unit: z.string().nullish(), decimals: z.number().int().nullish() });
const widgetWidth = z
  .enum(['FULL', 'HALF', 'THIRD'])
  .describe("How much of the page's row the widget's card takes (default THIRD for a NUMBER, FULL otherwise).");
const widgetInput = z.object({
  title: z.string(),
  kind: z.enum(['NUMBER', 'TABLE', 'BAR', 'LINE']),
  query: widgetQueryInput,
  label: z.string().nullish(),
  column_labels: z.array(z.string()).nullish(),
  format: formatInput.nullish(),
  column_formats: z.array(formatInput.extend({ column: z.string() })).nullish(),
  width: widgetWidth.nullish(),
});
const preset = z.enum(['TODAY', 'YESTERDAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'THIS_MONTH', 'LAST_MONTH', 'THIS_YEAR', 'ALL_TIME']);
const weekday = z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
const theme = z.enum(['LIGHT', 'DARK', 'AUTO']);
const dateRangeInput = z.object({ default: preset.nullish(), presets: z.array(preset).nullish(), max_days: z.number().int().nullish() });

const pageFields = {
  title: z.string(),
  description: z.string().nullish(),
  dashboard: z.boolean().nullish(),
  refresh_seconds: z.number().int().nullish(),
  freshness_seconds: z.number().int().nullish(),
  timezone: z.string().nullish(),
  week_start: weekday.nullish(),
  theme: theme.nullish(),
  date_range: dateRangeInput.nullish(),
  widgets: z.array(widgetInput),
};
export const createPageBody = z.object(pageFields);
export const updatePageBody = z.object(pageFields).partial();

const widgetSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['NUMBER', 'TABLE', 'BAR', 'LINE']),
  query: z.object({
    dataset: z.string(),
    filters: z.array(ruleSchema),
    group_by: z.string().nullable(),
    bucket: z.enum(['HOUR', 'DAY', 'WEEK', 'MONTH']).nullable(),
    metric: z.object({ fn: z.enum(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']), field: z.string().nullable() }).nullable(),
    select: z.array(z.string()).nullable(),
    sort: z.object({ field: z.string(), direction: z.enum(['ASC', 'DESC']) }).nullable(),
    limit: z.number().int().nullable(),
    series_by: z.string().nullable(),
  }),
  label: z.string().nullable(),
  column_labels: z.array(z.string()).nullable(),
  format: z.object({ style: formatStyle, currency: z.string().nullable(), unit: z.string().nullable(), decimals: z.number().int().nullable() }).nullable(),
  column_formats: z
    .array(
      z.object({ column: z.string(), style: formatStyle, currency: z.string().nullable(), unit: z.string().nullable(), decimals: z.number().int().nullable() }),
    )
    .nullable(),
  width: widgetWidth,
});
export const pageSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  dashboard: z.boolean(),
  refresh_seconds: z.number().int().nullable(),
  freshness_seconds: z.number().int(),
  timezone: z.string(),
  week_start: weekday,
  theme: theme.nullable(),
  date_range: z.object({ default: preset, presets: z.array(preset), max_days: z.number().int() }).nullable(),
  widgets: z.array(widgetSchema),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
const HIDDEN_DETAIL = 'null for callers other than its minter, an editor of the page or an admin';
export const pageEmbedSchema = z.object({
  id: z.string(),
  page_id: z.string(),
  label: z.string().nullable().describe(`A name for the embed; null when none was given, and ${HIDDEN_DETAIL}.`),
  audience: z.enum(['self', 'workspace', 'public']),
  minter_id: z.string(),
  minter_name: z.string(),
  expires_at: z.iso.datetime(),
  origins: z.array(z.string()).nullable().describe(`The sites that may frame it (empty: any site); ${HIDDEN_DETAIL}.`),
  rules: z.array(ruleSchema).nullable().describe(`The rules that narrow what it shows; ${HIDDEN_DETAIL}.`),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable(),
  load_count: z.number().int(),
  revoked_at: z.iso.datetime().nullable(),
});

const mintBody = z.object({
  // One spelling, as the API answers it: GraphQL's SELF/WORKSPACE/PUBLIC get a 400 naming the REST one.
  audience: z.enum(['self', 'workspace', 'public'], {
    error: (issue) =>
      typeof issue.input === 'string' && ['SELF', 'WORKSPACE', 'PUBLIC'].includes(issue.input)
        ? `audience is lowercase in the REST API: use "${issue.input.toLowerCase()}".`
        : 'audience must be "self", "workspace" or "public".',
  }),
  ttl_seconds: z.number().int().min(1).optional().describe('Lifetime in seconds (default 3600; at most PORTHOLE_MAX_EMBED_TTL_DAYS days, 365 unless set).'),
  rules: z.array(ruleInput).optional(),
  origins: z.array(z.string()).optional(),
  label: z.string().nullable().optional(),
  range: z.object({ preset: preset.nullish(), from: z.iso.datetime().nullish(), to: z.iso.datetime().nullish() }).optional(),
  viewer_can_change_range: z.boolean().optional(),
  timezone: z.string().optional(),
  locale: z.string().optional(),
  theme: theme.optional(),
});

type WidgetBody = z.output<typeof widgetInput>;
type PageBody = Partial<z.output<typeof createPageBody>>;

const toWidgetInput = ({ title, kind, query, label, column_labels, format, column_formats, width }: WidgetBody): WidgetInput => ({
  title,
  kind,
  width: width ?? null,
  label: label ?? null,
  columnLabels: column_labels ?? null,
  format: format ?? null,
  columnFormats: column_formats ?? null,
  query: {
    dataset: query.dataset,
    filters: query.filters ?? null,
    groupBy: query.group_by ?? null,
    bucket: query.bucket ?? null,
    metric: query.metric ? { fn: query.metric.fn, field: query.metric.field ?? null } : null,
    select: query.select ?? null,
    sort: query.sort ? { field: query.sort.field, direction: query.sort.direction ?? null } : null,
    limit: query.limit ?? null,
    seriesBy: query.series_by ?? null,
  },
});

/** The REST body as the service's PageInput: only the fields sent (PATCH leaves the others alone). */
function toPageInput(body: PageBody): PageInput {
  const input: PageInput = {};
  if (body.title !== undefined) input.title = body.title;
  if (body.description !== undefined) input.description = body.description;
  if (body.dashboard !== undefined) input.dashboard = body.dashboard;
  if (body.refresh_seconds !== undefined) input.refreshSeconds = body.refresh_seconds;
  if (body.freshness_seconds !== undefined) input.freshnessSeconds = body.freshness_seconds;
  if (body.widgets !== undefined) input.widgets = body.widgets.map(toWidgetInput);
  if (body.timezone !== undefined) input.timezone = body.timezone;
  if (body.week_start !== undefined) input.weekStart = body.week_start;
  if (body.theme !== undefined) input.theme = body.theme;
  if (body.date_range !== undefined)
    input.dateRange = body.date_range && { default: body.date_range.default, presets: body.date_range.presets, maxDays: body.date_range.max_days };
  return input;
}

const presentWidget = ({ id, title, kind, query, label, columnLabels, format, columnFormats, width }: WidgetDoc): z.input<typeof widgetSchema> => ({
  id,
  title,
  kind,
  width: widthOf({ kind, width }),
  label: label ?? null,
  column_labels: columnLabels ?? null,
  format: format ?? null,
  column_formats: columnFormats ?? null,
  query: {
    dataset: query.dataset,
    filters: query.filters.map((rule: Rule) => ({ field: rule.field, op: rule.op, value: rule.value })),
    group_by: query.groupBy,
    bucket: query.bucket,
    metric: query.metric,
    select: query.select,
    sort: query.sort,
    limit: query.limit,
    series_by: query.seriesBy ?? null,
  },
});

export const presentPage = (page: PageDoc): z.input<typeof pageSchema> => ({
  id: page._id,
  title: page.title,
  description: page.description,
  dashboard: page.dashboard,
  refresh_seconds: page.refreshSeconds,
  freshness_seconds: page.freshnessSeconds,
  timezone: page.timezone ?? 'UTC',
  week_start: page.weekStart ?? 'MONDAY',
  theme: page.theme ?? null,
  date_range: page.dateRange ? { default: page.dateRange.default, presets: page.dateRange.presets, max_days: page.dateRange.maxDays } : null,
  widgets: page.widgets.map(presentWidget),
  created_at: page.createdAt.toISOString(),
  updated_at: page.updatedAt.toISOString(),
});

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
const presentEmbed = (embed: PageEmbedView): z.input<typeof pageEmbedSchema> => ({
  id: embed._id,
  page_id: embed.pageId,
  label: embed.label ?? null,
  audience: embed.audience,
  minter_id: embed.minterId,
  minter_name: embed.minterName,
  expires_at: embed.expiresAt.toISOString(),
  origins: embed.origins,
  rules: embed.rules,
  created_at: embed.createdAt.toISOString(),
  last_used_at: iso(embed.lastUsedAt),
  load_count: embed.loadCount,
  revoked_at: iso(embed.revokedAt),
});

const BASE = '/api/platform/v1';
const TAG = 'Pages';

export const pageRouteSpecs = {
  list: {
    method: 'get',
    path: `${BASE}/pages`,
    summary: 'List the pages the caller may see, oldest first, a page of results at a time.',
    tag: TAG,
    auth: 'apiKey',
    query: cursorQuery,
    success: {
      status: 200,
      description: 'The pages; pass `next_cursor` as `cursor` for more (null on the last page).',
      schema: z.object({ pages: z.array(pageSchema), next_cursor: z.string().nullable() }),
    },
  },
  create: {
    method: 'post',
    path: `${BASE}/pages`,
    summary: 'Create a page with its widgets.',
    tag: TAG,
    auth: 'apiKey',
    body: createPageBody,
    success: { status: 201, description: 'The new page.', schema: z.object({ page: pageSchema }) },
  },
  get: {
    method: 'get',
    path: `${BASE}/pages/:id`,
    summary: 'Read a page.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The page.', schema: z.object({ page: pageSchema }) },
  },
  update: {
    method: 'patch',
    path: `${BASE}/pages/:id`,
    summary: 'Change a page: only the fields sent change; `widgets`, when sent, replaces them all.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    body: updatePageBody,
    success: { status: 200, description: 'The page as changed.', schema: z.object({ page: pageSchema }) },
  },
  delete: {
    method: 'delete',
    path: `${BASE}/pages/:id`,
    summary: 'Delete a page and every embed minted for it.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 204, description: 'Deleted.', schema: null },
  },
  embeds: {
    method: 'get',
    path: `${BASE}/pages/:id/embeds`,
    summary:
      "List a page's minted embeds, newest first. Their `label`, `origins` and `rules` are null except for the embed's minter, editors of the page and admins.",
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The embeds.', schema: z.object({ embeds: z.array(pageEmbedSchema) }) },
  },
  mint: {
    method: 'post',
    path: `${BASE}/pages/:id/embed-token`,
    summary: 'Mint a page embed token for an audience, with optional rules, TTL and allowed origins; returns a ready iframe snippet.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    body: mintBody,
    success: {
      status: 201,
      description: 'The minted embed.',
      schema: z.object({
        id: z.string(),
        token: z.string(),
        expires_at: z.iso.datetime(),
        embed_url: z.string(),
        snippet: z.string(),
        audience: z.enum(['self', 'workspace', 'public']),
      }),
    },
  },
  revokeEmbed: {
    method: 'delete',
    path: `${BASE}/embeds/:id`,
    summary: 'Revoke one embed: its token stops working on its next load. Its minter or an admin may.',
    tag: TAG,
    auth: 'apiKey',
    params: idParams,
    success: { status: 200, description: 'The embed, revoked.', schema: z.object({ embed: pageEmbedSchema }) },
  },
} satisfies Record<string, RouteSpec>;

/** Registers the page routes. */
export function pageRoutes(api: RestApi, services: Services): void {
  const specs = pageRouteSpecs;
  api.route(specs.list, async ({ viewer, query }) => {
    const { pages, nextCursor } = await services.pages.listPage(viewer, { first: query.limit ?? null, after: query.cursor ?? null });
    return { pages: pages.map(presentPage), next_cursor: nextCursor };
  });
  api.route(specs.create, async ({ viewer, body }) => {
    const input = toPageInput(body);
    return { page: presentPage(await services.pages.create(viewer, { ...input, title: body.title, widgets: input.widgets ?? [] })) };
  });
  api.route(specs.get, async ({ viewer, params }) => ({ page: presentPage(await services.pages.get(viewer, params.id)) }));
  api.route(specs.update, async ({ viewer, params, body }) => ({ page: presentPage(await services.pages.update(viewer, params.id, toPageInput(body))) }));
  api.route(specs.delete, async ({ viewer, params }) => {
    await services.pages.delete(viewer, params.id);
  });
  api.route(specs.embeds, async ({ viewer, params }) => ({ embeds: (await services.embeds.list(viewer, params.id)).map(presentEmbed) }));
  api.route(specs.mint, async ({ viewer, params, body }) => {
    const minted = await services.embeds.mint(viewer, {
      pageId: params.id,
      audience: body.audience,
      ttlSeconds: body.ttl_seconds ?? null,
      rules: body.rules ?? null,
      origins: body.origins ?? null,
      label: body.label ?? null,
      range: body.range
        ? { preset: body.range.preset ?? null, from: body.range.from ? new Date(body.range.from) : null, to: body.range.to ? new Date(body.range.to) : null }
        : null,
      viewerCanChangeRange: body.viewer_can_change_range ?? null,
      timezone: body.timezone ?? null,
      locale: body.locale ?? null,
      theme: body.theme ?? null,
    });
    const { id, token, embedUrl, snippet, audience } = minted;
    return { id, token, expires_at: minted.expiresAt.toISOString(), embed_url: embedUrl, snippet, audience };
  });
  api.route(specs.revokeEmbed, async ({ viewer, params }) => ({ embed: presentEmbed(await services.embeds.revoke(viewer, params.id)) }));
}
