/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Audience =
  | 'PUBLIC'
  | 'SELF'
  | 'WORKSPACE';

/** Equality filters on the audit trail; all given must hold. */
export type AuditFilterInput = {
  action?: string | null | undefined;
  /** A principal id or an end user's externalId. */
  actorId?: string | number | null | undefined;
  /** SUCCESS or FAILURE. */
  outcome?: string | null | undefined;
  /** Any id the event acted on. */
  targetId?: string | number | null | undefined;
};

export type Bucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

export type ColumnFormatInput = {
  column: string;
  currency?: string | null | undefined;
  decimals?: number | null | undefined;
  style: FormatStyle;
  unit?: string | null | undefined;
};

export type CreatePageInput = {
  /** Show on every end user's dashboard. Needs data access to every owner with no rules (FORBIDDEN otherwise): its title and widgets appear in every tenant's view. */
  dashboard?: boolean | null | undefined;
  dateRange?: DateRangeSettingsInput | null | undefined;
  description?: string | null | undefined;
  freshnessSeconds?: number | null | undefined;
  refreshSeconds?: unknown;
  /** Default: none (LIGHT). */
  theme?: Theme | null | undefined;
  /** An IANA zone name; default UTC. */
  timezone?: string | null | undefined;
  title: string;
  /** Default MONDAY. */
  weekStart?: Weekday | null | undefined;
  widgets: Array<WidgetInput>;
};

export type CreatePrincipalInput = {
  dataAccess: DataAccessInput;
  /** A person's sign-in email (MEMBER only), unique in the workspace, case-insensitive. With one, the payload carries an invitation and no API key. */
  email?: unknown;
  kind: PrincipalKind;
  name: string;
  role: Role;
};

export type CreateTokenIssuerInput = {
  algorithms: Array<IssuerAlgorithm>;
  /** Default porthole:embed. */
  audience?: string | null | undefined;
  issuer: string;
  /** https: (http: to localhost only outside production). Exactly one of jwksUrl and publicKeyPem. */
  jwksUrl?: string | null | undefined;
  name: string;
  /** A PEM public key (-----BEGIN PUBLIC KEY-----). */
  publicKeyPem?: string | null | undefined;
};

export type CreateUserInput = {
  email?: unknown;
  externalId: string;
  name?: string | null | undefined;
};

export type DataAccessInput = {
  /** Every record of the workspace. Defaults to false: access is granted, never assumed. */
  all?: boolean | null | undefined;
  owners?: Array<string> | null | undefined;
  rules?: Array<RuleInput> | null | undefined;
};

/** A preset, or a custom range from `from` (inclusive) to `to` (exclusive). */
export type DateRangeInput = {
  from?: string | null | undefined;
  preset?: DateRangePreset | null | undefined;
  to?: string | null | undefined;
};

/** A date range relative to now, computed in the embed's effective time zone. LAST_n_DAYS are n whole days ending with today. */
export type DateRangePreset =
  | 'ALL_TIME'
  | 'LAST_7_DAYS'
  | 'LAST_30_DAYS'
  | 'LAST_90_DAYS'
  | 'LAST_MONTH'
  | 'THIS_MONTH'
  | 'THIS_YEAR'
  | 'TODAY'
  | 'YESTERDAY';

export type DateRangeSettingsInput = {
  /** Default LAST_30_DAYS. */
  default?: DateRangePreset | null | undefined;
  /** Default 366; at most 3660. */
  maxDays?: unknown;
  /** Default: every preset. Must include `default`. */
  presets?: Array<DateRangePreset> | null | undefined;
};

/** A file format an embed's widget may be downloaded in. */
export type ExportFormat =
  | 'CSV'
  | 'XLSX';

export type FieldType =
  | 'BOOLEAN'
  | 'DATE'
  | 'NUMBER'
  | 'STRING';

export type FormatStyle =
  | 'COMPACT'
  | 'CURRENCY'
  | 'DURATION'
  | 'NUMBER'
  | 'PERCENT';

/** An algorithm a registered token issuer may sign page embed tokens with. */
export type IssuerAlgorithm =
  | 'ES256'
  | 'EdDSA'
  | 'RS256';

export type MetricFn =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'SUM';

export type MetricInput = {
  /** The numeric field to aggregate; not used by COUNT. */
  field?: string | null | undefined;
  fn: MetricFn;
};

export type MintPageEmbedInput = {
  audience: Audience;
  /** The formats viewers may download its widgets in (claim `exports`). Default: none. */
  exports?: Array<ExportFormat> | null | undefined;
  /** A name to recognise the embed by, such as the partner site it is for (at most 100 characters). */
  label?: string | null | undefined;
  /** A BCP 47 locale for numbers, dates and the embed's own words (claim `locale`), e.g. de-DE; default: the viewer's browser. */
  locale?: string | null | undefined;
  /** Sites allowed to frame the embed, as origins (https://example.com). Empty: any site. */
  origins?: Array<string> | null | undefined;
  pageId: string | number;
  /** The range the embed opens with (token claim `range`). Locks it unless viewerCanChangeRange. */
  range?: DateRangeInput | null | undefined;
  rules?: Array<RuleInput> | null | undefined;
  /** How the embed looks (claim `theme`); the host's own choice still wins. Default: the page's, else LIGHT. */
  theme?: Theme | null | undefined;
  /** An IANA zone for this embed (claim `tz`); a viewer's own zone still wins. */
  timezone?: string | null | undefined;
  /** Default 3600; at most PORTHOLE_MAX_EMBED_TTL_DAYS days (default 365). */
  ttlSeconds?: unknown;
  /** Default: false when `range` is given, else true when the page has a dateRange (claim `viewerCanChangeRange`). */
  viewerCanChangeRange?: boolean | null | undefined;
};

export type PageAccessLevel =
  /** VIEW, and edit or delete the page. */
  | 'EDIT'
  /** See the page and mint SELF or WORKSPACE embeds of it. */
  | 'VIEW';

export type PageGrantInput = {
  level: PageAccessLevel;
  principalId: string | number;
};

/** Who in the workspace may see and edit a page, beyond its owner and the admins. */
export type PageSharing =
  /** Only the owner, the admins and principals with a grant. */
  | 'PRIVATE'
  /** Every principal of the workspace may view and edit it. */
  | 'WORKSPACE_EDIT'
  /** Every principal of the workspace may view it (the default). */
  | 'WORKSPACE_VIEW';

/** How a builder's preview is viewed: as the page being edited says. */
export type PreviewViewingInput = {
  /** A preset (the page's default) or bounds. */
  range?: DateRangeInput | null | undefined;
  timezone?: string | null | undefined;
  weekStart?: Weekday | null | undefined;
};

export type PrincipalKind =
  | 'AGENT'
  | 'MEMBER';

export type Role =
  | 'ADMIN'
  | 'MEMBER';

export type RuleInput = {
  field: string;
  op: RuleOp;
  value?: string | number | boolean | null | null | undefined;
};

export type RuleOp =
  | 'EQ'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'LT'
  | 'LTE'
  | 'NE'
  | 'NIN';

export type SignInMethod =
  | 'API_KEY'
  | 'INVITE'
  | 'PASSKEY'
  | 'PASSWORD';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type SortInput = {
  direction?: SortDirection | null | undefined;
  field: string;
};

/** How an embed looks: light unless the host, the token or the page asks for dark, or for the viewer's system setting (AUTO). */
export type Theme =
  | 'AUTO'
  | 'DARK'
  | 'LIGHT';

/** What a string given to `inspectEmbedToken` is. */
export type TokenKind =
  /** An API key: it authenticates a server, never an embed. */
  | 'API_KEY'
  /** A dashboard session (`auth_token`), exchanged for an embed token. */
  | 'DASHBOARD_SESSION'
  /** A page embed token (`/embed-page/…?t=`), minted or self-minted. */
  | 'PAGE_EMBED'
  /** Not a credential of this workspace that the caller may see (or not a token at all). */
  | 'UNKNOWN'
  /** A user's `embed_token` (`/dashboard.html?token=`, `data-token`). */
  | 'USER_EMBED';

/** Why a credential does not open its embed. The same checks, in the same order, as a load. */
export type TokenRefusalReason =
  /** The principal who last saved the page's widgets no longer exists; saving the page again fixes it. */
  | 'AUTHOR_DELETED'
  /** Signed, but a claim is missing or wrong (audience, lifetime over the cap, workspace, rules). */
  | 'BAD_CLAIMS'
  /** The signature does not verify: altered, truncated, or signed with another secret. */
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  /** Not a token: wrong characters, truncated or cut, not three base64url segments. */
  | 'MALFORMED'
  /** Its minter was removed, or may no longer see the page (or, for PUBLIC, is no longer an admin). */
  | 'MINTER_LOST_ACCESS'
  /** An API key: send it from a server in `X-API-KEY`; embeds take an embed token. */
  | 'NOT_AN_EMBED_CREDENTIAL'
  /** Its `nbf` is in the future, or its `iat` more than a minute ahead of the server's clock. */
  | 'NOT_YET_VALID'
  | 'PAGE_DELETED'
  /** The user's embed token was regenerated: this is an earlier one. */
  | 'REGENERATED'
  /** The embed was revoked (or the API key was). */
  | 'REVOKED'
  /** The signing secret it names was revoked. */
  | 'SECRET_REVOKED'
  /** The user was suspended since this session began (even if reactivated since). */
  | 'SESSION_ENDED'
  | 'USER_DELETED'
  | 'USER_SUSPENDED';

export type UpdatePageInput = {
  /** True puts the page on every end user's dashboard; setting it, or changing a page that is on them, needs data access to every owner with no rules (FORBIDDEN otherwise). */
  dashboard?: boolean | null | undefined;
  /** Set to null to remove the page's date range. */
  dateRange?: DateRangeSettingsInput | null | undefined;
  description?: string | null | undefined;
  freshnessSeconds?: number | null | undefined;
  refreshSeconds?: number | null | undefined;
  /** Set to null for the default (LIGHT). */
  theme?: Theme | null | undefined;
  timezone?: string | null | undefined;
  title?: string | null | undefined;
  weekStart?: Weekday | null | undefined;
  widgets?: Array<WidgetInput> | null | undefined;
};

/** Fields left out stay as they are. Changing role or data access narrows or widens every embed the principal minted or authored, on their next load. */
export type UpdatePrincipalInput = {
  dataAccess?: DataAccessInput | null | undefined;
  name?: string | null | undefined;
  role?: Role | null | undefined;
};

export type UserStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

export type Weekday =
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY';

export type WidgetFormatInput = {
  currency?: string | null | undefined;
  decimals?: number | null | undefined;
  style: FormatStyle;
  unit?: string | null | undefined;
};

export type WidgetInput = {
  /** Send `porthole:point-click` to the host page when a viewer activates a mark or row (default false). */
  clickEvents?: boolean | null | undefined;
  /** TABLE only: at most one per column of the widget's data. */
  columnFormats?: Array<ColumnFormatInput> | null | undefined;
  columnLabels?: Array<string> | null | undefined;
  format?: WidgetFormatInput | null | undefined;
  kind: WidgetKind;
  label?: string | null | undefined;
  query: WidgetQueryInput;
  title: string;
  /** How much of the page's row the widget's card takes. Default THIRD for a NUMBER, FULL otherwise. */
  width?: WidgetWidth | null | undefined;
};

export type WidgetKind =
  | 'BAR'
  | 'LINE'
  | 'NUMBER'
  | 'TABLE';

export type WidgetQueryInput = {
  /** Group rows by a time bucket of `at` (LINE, BAR). */
  bucket?: Bucket | null | undefined;
  dataset: string;
  filters?: Array<RuleInput> | null | undefined;
  /** Group rows by this field's value (BAR, TABLE). */
  groupBy?: string | null | undefined;
  /** At most 1000. */
  limit?: unknown;
  metric?: MetricInput | null | undefined;
  /** For TABLE widgets without a metric: the record fields to show. */
  select?: Array<string> | null | undefined;
  /** BAR and LINE: a second dimension, one series per value of this field (stacked bars, several lines). */
  seriesBy?: string | null | undefined;
  sort?: SortInput | null | undefined;
};

/** How much of a page's row a widget's card takes; on a narrow screen every card is full width. */
export type WidgetWidth =
  | 'FULL'
  | 'HALF'
  | 'THIRD';

export type EmbeddedWidgetFieldsFragment = { id: string, title: string, kind: WidgetKind, width: WidgetWidth, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, bucketShown: Bucket | null, clickEvents: boolean, coarser: { buckets: number | null, maxPoints: number } | null, cut: { shown: number, total: number } | null, partial: { first: boolean, last: boolean } | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } };

export type EmbeddedPageFieldsFragment = { id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, theme: Theme, rangeLocked: boolean, presets: Array<DateRangePreset>, exports: Array<ExportFormat>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, bucketShown: Bucket | null, clickEvents: boolean, coarser: { buckets: number | null, maxPoints: number } | null, cut: { shown: number, total: number } | null, partial: { first: boolean, last: boolean } | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> };

export type PageEmbedSelectionFragment = { page: { id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, theme: Theme, rangeLocked: boolean, presets: Array<DateRangePreset>, exports: Array<ExportFormat>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, bucketShown: Bucket | null, clickEvents: boolean, coarser: { buckets: number | null, maxPoints: number } | null, cut: { shown: number, total: number } | null, partial: { first: boolean, last: boolean } | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> } };

export type DashboardEmbedSelectionFragment = { dashboard: { pages: Array<{ id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, theme: Theme, rangeLocked: boolean, presets: Array<DateRangePreset>, exports: Array<ExportFormat>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, bucketShown: Bucket | null, clickEvents: boolean, coarser: { buckets: number | null, maxPoints: number } | null, cut: { shown: number, total: number } | null, partial: { first: boolean, last: boolean } | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> }> } };

export type ExportWidgetSelectionFragment = { exportWidget: { url: unknown, expiresAt: string, format: ExportFormat } };

export type ValidateEmbedTokenMutationVariables = Exact<{
  embedToken: string;
}>;


export type ValidateEmbedTokenMutation = { validateEmbedToken: { authToken: string, expiresAt: string } };

export type ViewerFieldsFragment = { id: string, name: string, kind: PrincipalKind, role: Role, workspace: { id: string, slug: string, name: string, maxEmbedTtlSeconds: number } };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { id: string, name: string, kind: PrincipalKind, role: Role, workspace: { id: string, slug: string, name: string, maxEmbedTtlSeconds: number } } };

export type ConsoleDashboardOriginsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleDashboardOriginsQuery = { viewer: { id: string, workspace: { id: string, dashboardOrigins: Array<string> } } };

export type ConsoleUpdateDashboardOriginsMutationVariables = Exact<{
  origins: Array<string> | string;
}>;


export type ConsoleUpdateDashboardOriginsMutation = { updateWorkspace: { id: string, dashboardOrigins: Array<string> } };

export type ConsolePagesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePagesQuery = { pages: Array<{ id: string, title: string, description: string | null, dashboard: boolean, updatedAt: string, widgets: Array<{ id: string }> }> };

export type ConsolePageQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsolePageQuery = { page: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, updatedAt: string, problems: Array<string>, viewerCanEdit: boolean, widgets: Array<{ id: string, title: string, kind: WidgetKind }> } };

export type PageDefinitionFieldsFragment = { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, freshnessSeconds: number, problems: Array<string>, updatedAt: string, timezone: string, weekStart: Weekday, theme: Theme | null, sharing: PageSharing, viewerCanEdit: boolean, viewerCanManageAccess: boolean, dateRange: { default: DateRangePreset, presets: Array<DateRangePreset>, maxDays: number } | null, owner: { id: string, name: string } | null, grants: Array<{ principalId: string, level: PageAccessLevel, principal: { id: string, name: string } | null }>, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, clickEvents: boolean, label: string | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, query: { seriesBy: string | null, dataset: string, groupBy: string | null, bucket: Bucket | null, select: Array<string> | null, limit: number | null, filters: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }>, metric: { fn: MetricFn, field: string | null } | null, sort: { field: string, direction: SortDirection } | null } }> };

export type ConsolePageDefinitionQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsolePageDefinitionQuery = { page: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, freshnessSeconds: number, problems: Array<string>, updatedAt: string, timezone: string, weekStart: Weekday, theme: Theme | null, sharing: PageSharing, viewerCanEdit: boolean, viewerCanManageAccess: boolean, dateRange: { default: DateRangePreset, presets: Array<DateRangePreset>, maxDays: number } | null, owner: { id: string, name: string } | null, grants: Array<{ principalId: string, level: PageAccessLevel, principal: { id: string, name: string } | null }>, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, clickEvents: boolean, label: string | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, query: { seriesBy: string | null, dataset: string, groupBy: string | null, bucket: Bucket | null, select: Array<string> | null, limit: number | null, filters: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }>, metric: { fn: MetricFn, field: string | null } | null, sort: { field: string, direction: SortDirection } | null } }> } };

export type ConsoleCreatePageMutationVariables = Exact<{
  input: CreatePageInput;
}>;


export type ConsoleCreatePageMutation = { createPage: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, freshnessSeconds: number, problems: Array<string>, updatedAt: string, timezone: string, weekStart: Weekday, theme: Theme | null, sharing: PageSharing, viewerCanEdit: boolean, viewerCanManageAccess: boolean, dateRange: { default: DateRangePreset, presets: Array<DateRangePreset>, maxDays: number } | null, owner: { id: string, name: string } | null, grants: Array<{ principalId: string, level: PageAccessLevel, principal: { id: string, name: string } | null }>, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, clickEvents: boolean, label: string | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, query: { seriesBy: string | null, dataset: string, groupBy: string | null, bucket: Bucket | null, select: Array<string> | null, limit: number | null, filters: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }>, metric: { fn: MetricFn, field: string | null } | null, sort: { field: string, direction: SortDirection } | null } }> } };

export type ConsoleUpdatePageMutationVariables = Exact<{
  id: string | number;
  input: UpdatePageInput;
}>;


export type ConsoleUpdatePageMutation = { updatePage: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, freshnessSeconds: number, problems: Array<string>, updatedAt: string, timezone: string, weekStart: Weekday, theme: Theme | null, sharing: PageSharing, viewerCanEdit: boolean, viewerCanManageAccess: boolean, dateRange: { default: DateRangePreset, presets: Array<DateRangePreset>, maxDays: number } | null, owner: { id: string, name: string } | null, grants: Array<{ principalId: string, level: PageAccessLevel, principal: { id: string, name: string } | null }>, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, clickEvents: boolean, label: string | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, query: { seriesBy: string | null, dataset: string, groupBy: string | null, bucket: Bucket | null, select: Array<string> | null, limit: number | null, filters: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }>, metric: { fn: MetricFn, field: string | null } | null, sort: { field: string, direction: SortDirection } | null } }> } };

export type ConsoleDeletePageMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleDeletePageMutation = { deletePage: boolean };

export type ConsoleDatasetsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleDatasetsQuery = { datasets: Array<{ name: string, recordCount: number, lastRecordAt: string, lastIngestedAt: string | null, fields: Array<{ name: string, types: Array<FieldType>, count: number }> }> };

export type ConsoleFieldValuesQueryVariables = Exact<{
  dataset: string;
  field: string;
  limit?: number | null | undefined;
}>;


export type ConsoleFieldValuesQuery = { fieldValues: Array<string | number | boolean | null> };

export type ConsolePreviewEmbeddedWidgetQueryVariables = Exact<{
  input: WidgetInput;
  viewing?: PreviewViewingInput | null | undefined;
}>;


export type ConsolePreviewEmbeddedWidgetQuery = { previewEmbeddedWidget: { id: string, title: string, kind: WidgetKind, width: WidgetWidth, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, bucketShown: Bucket | null, clickEvents: boolean, coarser: { buckets: number | null, maxPoints: number } | null, cut: { shown: number, total: number } | null, partial: { first: boolean, last: boolean } | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } } };

export type ConsolePreviewPageEmbedMutationVariables = Exact<{
  pageId: string | number;
}>;


export type ConsolePreviewPageEmbedMutation = { previewPageEmbed: { id: string, token: string, expiresAt: string, embedUrl: unknown, snippet: string, audience: Audience } };

export type ConsoleEndPageEmbedPreviewMutationVariables = Exact<{
  pageId: string | number;
}>;


export type ConsoleEndPageEmbedPreviewMutation = { endPageEmbedPreview: boolean };

export type PageEmbedFieldsFragment = { id: string, label: string | null, audience: Audience, minterName: string, expiresAt: string, origins: Array<string> | null, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, selfMinted: boolean, exports: Array<ExportFormat>, exportCount: number, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> | null, viewers: Array<{ viewer: string, loads: number, exports: number, principal: { id: string, name: string } | null }> };

export type ConsolePageEmbedsQueryVariables = Exact<{
  pageId: string | number;
}>;


export type ConsolePageEmbedsQuery = { pageEmbeds: Array<{ id: string, label: string | null, audience: Audience, minterName: string, expiresAt: string, origins: Array<string> | null, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, selfMinted: boolean, exports: Array<ExportFormat>, exportCount: number, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> | null, viewers: Array<{ viewer: string, loads: number, exports: number, principal: { id: string, name: string } | null }> }> };

export type ConsoleMintPageEmbedMutationVariables = Exact<{
  input: MintPageEmbedInput;
}>;


export type ConsoleMintPageEmbedMutation = { mintPageEmbed: { id: string, token: string, expiresAt: string, embedUrl: unknown, snippet: string, audience: Audience } };

export type ConsoleRevokePageEmbedMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokePageEmbedMutation = { revokePageEmbed: { id: string, label: string | null, audience: Audience, minterName: string, expiresAt: string, origins: Array<string> | null, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, selfMinted: boolean, exports: Array<ExportFormat>, exportCount: number, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> | null, viewers: Array<{ viewer: string, loads: number, exports: number, principal: { id: string, name: string } | null }> } };

export type SigningSecretFieldsFragment = { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ConsoleSigningSecretsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSigningSecretsQuery = { signingSecrets: Array<{ id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type ConsoleCreateSigningSecretMutationVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ConsoleCreateSigningSecretMutation = { createSigningSecret: { plaintext: string, secret: { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type ConsoleSigningSecretImpactQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleSigningSecretImpactQuery = { signingSecretImpact: { liveEmbeds: number, sites: Array<string>, anySite: number, pages: Array<{ pageId: string, title: string | null, liveEmbeds: number }> } };

export type ConsoleRevokeSigningSecretMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokeSigningSecretMutation = { revokeSigningSecret: { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type UserFieldsFragment = { id: string, externalId: string, email: unknown, name: string | null, status: UserStatus, createdAt: string };

export type ConsoleUsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type ConsoleUsersQuery = { users: { nextCursor: string | null, totalCount: number, nodes: Array<{ id: string, externalId: string, email: unknown, name: string | null, status: UserStatus, createdAt: string }> } };

export type ConsoleEmbedTokenQueryVariables = Exact<{
  userId: string | number;
}>;


export type ConsoleEmbedTokenQuery = { embedToken: { token: string } };

export type ConsoleRegenerateEmbedTokenMutationVariables = Exact<{
  userId: string | number;
}>;


export type ConsoleRegenerateEmbedTokenMutation = { regenerateEmbedToken: { token: string } };

export type ConsoleSuspendUserMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleSuspendUserMutation = { suspendUser: { id: string, externalId: string, email: unknown, name: string | null, status: UserStatus, createdAt: string } };

export type ConsoleReactivateUserMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleReactivateUserMutation = { reactivateUser: { id: string, externalId: string, email: unknown, name: string | null, status: UserStatus, createdAt: string } };

export type ApiKeyFieldsFragment = { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ConsoleApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleApiKeysQuery = { apiKeys: Array<{ id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type ConsoleCreateApiKeyMutationVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ConsoleCreateApiKeyMutation = { createApiKey: { plaintext: string, key: { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type ConsoleRevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokeApiKeyMutation = { revokeApiKey: { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type ConsoleCreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type ConsoleCreateUserMutation = { createUser: { embedToken: string, user: { id: string, externalId: string, email: unknown, name: string | null, status: UserStatus, createdAt: string } } };

export type ConsoleSetPageAccessMutationVariables = Exact<{
  pageId: string | number;
  sharing?: PageSharing | null | undefined;
  grants?: Array<PageGrantInput> | PageGrantInput | null | undefined;
}>;


export type ConsoleSetPageAccessMutation = { setPageAccess: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, freshnessSeconds: number, problems: Array<string>, updatedAt: string, timezone: string, weekStart: Weekday, theme: Theme | null, sharing: PageSharing, viewerCanEdit: boolean, viewerCanManageAccess: boolean, dateRange: { default: DateRangePreset, presets: Array<DateRangePreset>, maxDays: number } | null, owner: { id: string, name: string } | null, grants: Array<{ principalId: string, level: PageAccessLevel, principal: { id: string, name: string } | null }>, widgets: Array<{ id: string, title: string, kind: WidgetKind, width: WidgetWidth, clickEvents: boolean, label: string | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, columnFormats: Array<{ column: string, style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null }> | null, query: { seriesBy: string | null, dataset: string, groupBy: string | null, bucket: Bucket | null, select: Array<string> | null, limit: number | null, filters: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }>, metric: { fn: MetricFn, field: string | null } | null, sort: { field: string, direction: SortDirection } | null } }> } };

export type PrincipalFieldsFragment = { id: string, name: string, kind: PrincipalKind, role: Role, email: string | null, invitationExpiresAt: string | null, createdAt: string, dataAccess: { all: boolean, owners: Array<string>, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> } | null };

export type ConsolePrincipalsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePrincipalsQuery = { principals: Array<{ id: string, name: string, kind: PrincipalKind, role: Role, email: string | null, invitationExpiresAt: string | null, createdAt: string, dataAccess: { all: boolean, owners: Array<string>, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> } | null }> };

export type ConsoleCreatePrincipalMutationVariables = Exact<{
  input: CreatePrincipalInput;
}>;


export type ConsoleCreatePrincipalMutation = { createPrincipal: { apiKey: string | null, principal: { id: string, name: string, kind: PrincipalKind, role: Role, email: string | null, invitationExpiresAt: string | null, createdAt: string, dataAccess: { all: boolean, owners: Array<string>, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> } | null }, invite: { url: unknown, expiresAt: string } | null } };

export type ConsoleCreateInviteMutationVariables = Exact<{
  principalId: string | number;
}>;


export type ConsoleCreateInviteMutation = { createInvite: { url: unknown, expiresAt: string } };

export type SessionFieldsFragment = { id: string, method: SignInMethod, createdAt: string, expiresAt: string, current: boolean };

export type PasskeyFieldsFragment = { id: string, name: string, createdAt: string, lastUsedAt: string | null };

export type ConsoleSecurityQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSecurityQuery = { mySessions: Array<{ id: string, method: SignInMethod, createdAt: string, expiresAt: string, current: boolean }>, myPasskeys: Array<{ id: string, name: string, createdAt: string, lastUsedAt: string | null }> };

export type ConsolePasskeyRegistrationOptionsMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsolePasskeyRegistrationOptionsMutation = { passkeyRegistrationOptions: unknown };

export type ConsoleRegisterPasskeyMutationVariables = Exact<{
  name?: string | null | undefined;
  response: unknown;
}>;


export type ConsoleRegisterPasskeyMutation = { registerPasskey: { id: string, name: string, createdAt: string, lastUsedAt: string | null } };

export type ConsoleRemovePasskeyMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRemovePasskeyMutation = { removePasskey: boolean };

export type ConsoleSignOutEverywhereMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSignOutEverywhereMutation = { signOutEverywhere: number };

export type ConsoleUpdatePrincipalMutationVariables = Exact<{
  id: string | number;
  input: UpdatePrincipalInput;
}>;


export type ConsoleUpdatePrincipalMutation = { updatePrincipal: { id: string, name: string, kind: PrincipalKind, role: Role, email: string | null, invitationExpiresAt: string | null, createdAt: string, dataAccess: { all: boolean, owners: Array<string>, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> } | null } };

export type ConsoleDeletePrincipalMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleDeletePrincipalMutation = { deletePrincipal: boolean };

export type ConsoleInspectEmbedTokenQueryVariables = Exact<{
  token: string;
}>;


export type ConsoleInspectEmbedTokenQuery = { inspectEmbedToken: { kind: TokenKind, valid: boolean, reason: TokenRefusalReason | null, expiresAt: string | null, audience: Audience | null, pageId: string | null, page: { id: string, title: string } | null, user: { id: string, externalId: string, name: string | null } | null } };

export type ConsoleAuditEventsQueryVariables = Exact<{
  filter?: AuditFilterInput | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleAuditEventsQuery = { auditEvents: { endCursor: string | null, hasNextPage: boolean, nodes: Array<{ id: string, seq: number, at: string, action: string, targets: unknown, jti: string | null, kid: string | null, origin: string | null, outcome: string, detail: unknown, actor: { kind: string, id: string | null, addressDigest: string | null } }> } };

export type ConsoleVerifyAuditChainQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleVerifyAuditChainQuery = { verifyAuditChain: { ok: boolean, events: number, firstBrokenAt: number | null } };

export type TokenIssuerFieldsFragment = { id: string, name: string, issuer: string, audience: string, jwksUrl: string | null, algorithms: Array<IssuerAlgorithm>, createdAt: string, revokedAt: string | null };

export type ConsoleTokenIssuersQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTokenIssuersQuery = { tokenIssuers: Array<{ id: string, name: string, issuer: string, audience: string, jwksUrl: string | null, algorithms: Array<IssuerAlgorithm>, createdAt: string, revokedAt: string | null }> };

export type ConsoleCreateTokenIssuerMutationVariables = Exact<{
  input: CreateTokenIssuerInput;
}>;


export type ConsoleCreateTokenIssuerMutation = { createTokenIssuer: { id: string, name: string, issuer: string, audience: string, jwksUrl: string | null, algorithms: Array<IssuerAlgorithm>, createdAt: string, revokedAt: string | null } };

export type ConsoleRevokeTokenIssuerMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokeTokenIssuerMutation = { revokeTokenIssuer: { id: string, name: string, issuer: string, audience: string, jwksUrl: string | null, algorithms: Array<IssuerAlgorithm>, createdAt: string, revokedAt: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const EmbeddedWidgetFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment EmbeddedWidgetFields on EmbeddedWidget {
  id
  title
  kind
  width
  label
  columnLabels
  seriesBy
  bucket
  bucketShown
  coarser {
    buckets
    maxPoints
  }
  cut {
    shown
    total
  }
  partial {
    first
    last
  }
  format {
    style
    currency
    unit
    decimals
  }
  columnFormats {
    column
    style
    currency
    unit
    decimals
  }
  data {
    columns
    rows
  }
  clickEvents
}
    `, {"fragmentName":"EmbeddedWidgetFields"}) as unknown as TypedDocumentString<EmbeddedWidgetFieldsFragment, unknown>;
export const EmbeddedPageFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  theme
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    ...EmbeddedWidgetFields
  }
  exports
}
    fragment EmbeddedWidgetFields on EmbeddedWidget {
  id
  title
  kind
  width
  label
  columnLabels
  seriesBy
  bucket
  bucketShown
  coarser {
    buckets
    maxPoints
  }
  cut {
    shown
    total
  }
  partial {
    first
    last
  }
  format {
    style
    currency
    unit
    decimals
  }
  columnFormats {
    column
    style
    currency
    unit
    decimals
  }
  data {
    columns
    rows
  }
  clickEvents
}`, {"fragmentName":"EmbeddedPageFields"}) as unknown as TypedDocumentString<EmbeddedPageFieldsFragment, unknown>;
export const PageEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageEmbedSelection on EmbedQuery {
  page(range: $range, timezone: $timezone) {
    ...EmbeddedPageFields
  }
}
    fragment EmbeddedWidgetFields on EmbeddedWidget {
  id
  title
  kind
  width
  label
  columnLabels
  seriesBy
  bucket
  bucketShown
  coarser {
    buckets
    maxPoints
  }
  cut {
    shown
    total
  }
  partial {
    first
    last
  }
  format {
    style
    currency
    unit
    decimals
  }
  columnFormats {
    column
    style
    currency
    unit
    decimals
  }
  data {
    columns
    rows
  }
  clickEvents
}
fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  theme
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    ...EmbeddedWidgetFields
  }
  exports
}`, {"fragmentName":"PageEmbedSelection"}) as unknown as TypedDocumentString<PageEmbedSelectionFragment, unknown>;
export const DashboardEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardEmbedSelection on EmbedQuery {
  dashboard(ranges: $ranges, timezone: $timezone) {
    pages {
      ...EmbeddedPageFields
    }
  }
}
    fragment EmbeddedWidgetFields on EmbeddedWidget {
  id
  title
  kind
  width
  label
  columnLabels
  seriesBy
  bucket
  bucketShown
  coarser {
    buckets
    maxPoints
  }
  cut {
    shown
    total
  }
  partial {
    first
    last
  }
  format {
    style
    currency
    unit
    decimals
  }
  columnFormats {
    column
    style
    currency
    unit
    decimals
  }
  data {
    columns
    rows
  }
  clickEvents
}
fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  theme
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    ...EmbeddedWidgetFields
  }
  exports
}`, {"fragmentName":"DashboardEmbedSelection"}) as unknown as TypedDocumentString<DashboardEmbedSelectionFragment, unknown>;
export const ExportWidgetSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ExportWidgetSelection on EmbedQuery {
  exportWidget(
    widgetId: $widgetId
    format: $format
    range: $range
    timezone: $timezone
  ) {
    url
    expiresAt
    format
  }
}
    `, {"fragmentName":"ExportWidgetSelection"}) as unknown as TypedDocumentString<ExportWidgetSelectionFragment, unknown>;
export const ViewerFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ViewerFields on Principal {
  id
  name
  kind
  role
  workspace {
    id
    slug
    name
    maxEmbedTtlSeconds
  }
}
    `, {"fragmentName":"ViewerFields"}) as unknown as TypedDocumentString<ViewerFieldsFragment, unknown>;
export const PageDefinitionFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageDefinitionFields on Page {
  id
  title
  description
  dashboard
  refreshSeconds
  freshnessSeconds
  problems
  updatedAt
  timezone
  weekStart
  theme
  dateRange {
    default
    presets
    maxDays
  }
  owner {
    id
    name
  }
  sharing
  grants {
    principalId
    principal {
      id
      name
    }
    level
  }
  viewerCanEdit
  viewerCanManageAccess
  widgets {
    id
    title
    kind
    width
    clickEvents
    label
    format {
      style
      currency
      unit
      decimals
    }
    columnFormats {
      column
      style
      currency
      unit
      decimals
    }
    query {
      seriesBy
      dataset
      filters {
        field
        op
        value
      }
      groupBy
      bucket
      metric {
        fn
        field
      }
      select
      sort {
        field
        direction
      }
      limit
    }
  }
}
    `, {"fragmentName":"PageDefinitionFields"}) as unknown as TypedDocumentString<PageDefinitionFieldsFragment, unknown>;
export const PageEmbedFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageEmbedFields on PageEmbed {
  id
  label
  audience
  minterName
  minter {
    id
    name
  }
  expiresAt
  origins
  rules {
    field
    op
    value
  }
  createdAt
  lastUsedAt
  loadCount
  revokedAt
  selfMinted
  exports
  exportCount
  viewers {
    viewer
    principal {
      id
      name
    }
    loads
    exports
  }
}
    `, {"fragmentName":"PageEmbedFields"}) as unknown as TypedDocumentString<PageEmbedFieldsFragment, unknown>;
export const SigningSecretFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment SigningSecretFields on SigningSecret {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"SigningSecretFields"}) as unknown as TypedDocumentString<SigningSecretFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment UserFields on User {
  id
  externalId
  email
  name
  status
  createdAt
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const PrincipalFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PrincipalFields on Principal {
  id
  name
  kind
  role
  email
  invitationExpiresAt
  createdAt
  dataAccess {
    all
    owners
    rules {
      field
      op
      value
    }
  }
}
    `, {"fragmentName":"PrincipalFields"}) as unknown as TypedDocumentString<PrincipalFieldsFragment, unknown>;
export const SessionFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment SessionFields on ConsoleSession {
  id
  method
  createdAt
  expiresAt
  current
}
    `, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const PasskeyFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PasskeyFields on Passkey {
  id
  name
  createdAt
  lastUsedAt
}
    `, {"fragmentName":"PasskeyFields"}) as unknown as TypedDocumentString<PasskeyFieldsFragment, unknown>;
export const TokenIssuerFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment TokenIssuerFields on TokenIssuer {
  id
  name
  issuer
  audience
  jwksUrl
  algorithms
  createdAt
  revokedAt
}
    `, {"fragmentName":"TokenIssuerFields"}) as unknown as TypedDocumentString<TokenIssuerFieldsFragment, unknown>;
export const ValidateEmbedTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ValidateEmbedToken($embedToken: String!) {
  validateEmbedToken(embedToken: $embedToken) {
    authToken
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ValidateEmbedTokenMutation, ValidateEmbedTokenMutationVariables>;
export const ConsoleViewerDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleViewer {
  viewer {
    ...ViewerFields
  }
}
    fragment ViewerFields on Principal {
  id
  name
  kind
  role
  workspace {
    id
    slug
    name
    maxEmbedTtlSeconds
  }
}`) as unknown as TypedDocumentString<ConsoleViewerQuery, ConsoleViewerQueryVariables>;
export const ConsoleDashboardOriginsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleDashboardOrigins {
  viewer {
    id
    workspace {
      id
      dashboardOrigins
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDashboardOriginsQuery, ConsoleDashboardOriginsQueryVariables>;
export const ConsoleUpdateDashboardOriginsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleUpdateDashboardOrigins($origins: [String!]!) {
  updateWorkspace(input: {dashboardOrigins: $origins}) {
    id
    dashboardOrigins
  }
}
    `) as unknown as TypedDocumentString<ConsoleUpdateDashboardOriginsMutation, ConsoleUpdateDashboardOriginsMutationVariables>;
export const ConsolePagesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePages {
  pages {
    id
    title
    description
    dashboard
    updatedAt
    widgets {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePagesQuery, ConsolePagesQueryVariables>;
export const ConsolePageDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePage($id: ID!) {
  page(id: $id) {
    id
    title
    description
    dashboard
    refreshSeconds
    updatedAt
    problems
    viewerCanEdit
    widgets {
      id
      title
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePageQuery, ConsolePageQueryVariables>;
export const ConsolePageDefinitionDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePageDefinition($id: ID!) {
  page(id: $id) {
    ...PageDefinitionFields
  }
}
    fragment PageDefinitionFields on Page {
  id
  title
  description
  dashboard
  refreshSeconds
  freshnessSeconds
  problems
  updatedAt
  timezone
  weekStart
  theme
  dateRange {
    default
    presets
    maxDays
  }
  owner {
    id
    name
  }
  sharing
  grants {
    principalId
    principal {
      id
      name
    }
    level
  }
  viewerCanEdit
  viewerCanManageAccess
  widgets {
    id
    title
    kind
    width
    clickEvents
    label
    format {
      style
      currency
      unit
      decimals
    }
    columnFormats {
      column
      style
      currency
      unit
      decimals
    }
    query {
      seriesBy
      dataset
      filters {
        field
        op
        value
      }
      groupBy
      bucket
      metric {
        fn
        field
      }
      select
      sort {
        field
        direction
      }
      limit
    }
  }
}`) as unknown as TypedDocumentString<ConsolePageDefinitionQuery, ConsolePageDefinitionQueryVariables>;
export const ConsoleCreatePageDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreatePage($input: CreatePageInput!) {
  createPage(input: $input) {
    ...PageDefinitionFields
  }
}
    fragment PageDefinitionFields on Page {
  id
  title
  description
  dashboard
  refreshSeconds
  freshnessSeconds
  problems
  updatedAt
  timezone
  weekStart
  theme
  dateRange {
    default
    presets
    maxDays
  }
  owner {
    id
    name
  }
  sharing
  grants {
    principalId
    principal {
      id
      name
    }
    level
  }
  viewerCanEdit
  viewerCanManageAccess
  widgets {
    id
    title
    kind
    width
    clickEvents
    label
    format {
      style
      currency
      unit
      decimals
    }
    columnFormats {
      column
      style
      currency
      unit
      decimals
    }
    query {
      seriesBy
      dataset
      filters {
        field
        op
        value
      }
      groupBy
      bucket
      metric {
        fn
        field
      }
      select
      sort {
        field
        direction
      }
      limit
    }
  }
}`) as unknown as TypedDocumentString<ConsoleCreatePageMutation, ConsoleCreatePageMutationVariables>;
export const ConsoleUpdatePageDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleUpdatePage($id: ID!, $input: UpdatePageInput!) {
  updatePage(id: $id, input: $input) {
    ...PageDefinitionFields
  }
}
    fragment PageDefinitionFields on Page {
  id
  title
  description
  dashboard
  refreshSeconds
  freshnessSeconds
  problems
  updatedAt
  timezone
  weekStart
  theme
  dateRange {
    default
    presets
    maxDays
  }
  owner {
    id
    name
  }
  sharing
  grants {
    principalId
    principal {
      id
      name
    }
    level
  }
  viewerCanEdit
  viewerCanManageAccess
  widgets {
    id
    title
    kind
    width
    clickEvents
    label
    format {
      style
      currency
      unit
      decimals
    }
    columnFormats {
      column
      style
      currency
      unit
      decimals
    }
    query {
      seriesBy
      dataset
      filters {
        field
        op
        value
      }
      groupBy
      bucket
      metric {
        fn
        field
      }
      select
      sort {
        field
        direction
      }
      limit
    }
  }
}`) as unknown as TypedDocumentString<ConsoleUpdatePageMutation, ConsoleUpdatePageMutationVariables>;
export const ConsoleDeletePageDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleDeletePage($id: ID!) {
  deletePage(id: $id)
}
    `) as unknown as TypedDocumentString<ConsoleDeletePageMutation, ConsoleDeletePageMutationVariables>;
export const ConsoleDatasetsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleDatasets {
  datasets {
    name
    recordCount
    lastRecordAt
    lastIngestedAt
    fields {
      name
      types
      count
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDatasetsQuery, ConsoleDatasetsQueryVariables>;
export const ConsoleFieldValuesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleFieldValues($dataset: String!, $field: String!, $limit: Int) {
  fieldValues(dataset: $dataset, field: $field, limit: $limit)
}
    `) as unknown as TypedDocumentString<ConsoleFieldValuesQuery, ConsoleFieldValuesQueryVariables>;
export const ConsolePreviewEmbeddedWidgetDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePreviewEmbeddedWidget($input: WidgetInput!, $viewing: PreviewViewingInput) {
  previewEmbeddedWidget(input: $input, viewing: $viewing) {
    ...EmbeddedWidgetFields
  }
}
    fragment EmbeddedWidgetFields on EmbeddedWidget {
  id
  title
  kind
  width
  label
  columnLabels
  seriesBy
  bucket
  bucketShown
  coarser {
    buckets
    maxPoints
  }
  cut {
    shown
    total
  }
  partial {
    first
    last
  }
  format {
    style
    currency
    unit
    decimals
  }
  columnFormats {
    column
    style
    currency
    unit
    decimals
  }
  data {
    columns
    rows
  }
  clickEvents
}`) as unknown as TypedDocumentString<ConsolePreviewEmbeddedWidgetQuery, ConsolePreviewEmbeddedWidgetQueryVariables>;
export const ConsolePreviewPageEmbedDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsolePreviewPageEmbed($pageId: ID!) {
  previewPageEmbed(pageId: $pageId) {
    id
    token
    expiresAt
    embedUrl
    snippet
    audience
  }
}
    `) as unknown as TypedDocumentString<ConsolePreviewPageEmbedMutation, ConsolePreviewPageEmbedMutationVariables>;
export const ConsoleEndPageEmbedPreviewDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleEndPageEmbedPreview($pageId: ID!) {
  endPageEmbedPreview(pageId: $pageId)
}
    `) as unknown as TypedDocumentString<ConsoleEndPageEmbedPreviewMutation, ConsoleEndPageEmbedPreviewMutationVariables>;
export const ConsolePageEmbedsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePageEmbeds($pageId: ID!) {
  pageEmbeds(pageId: $pageId) {
    ...PageEmbedFields
  }
}
    fragment PageEmbedFields on PageEmbed {
  id
  label
  audience
  minterName
  minter {
    id
    name
  }
  expiresAt
  origins
  rules {
    field
    op
    value
  }
  createdAt
  lastUsedAt
  loadCount
  revokedAt
  selfMinted
  exports
  exportCount
  viewers {
    viewer
    principal {
      id
      name
    }
    loads
    exports
  }
}`) as unknown as TypedDocumentString<ConsolePageEmbedsQuery, ConsolePageEmbedsQueryVariables>;
export const ConsoleMintPageEmbedDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleMintPageEmbed($input: MintPageEmbedInput!) {
  mintPageEmbed(input: $input) {
    id
    token
    expiresAt
    embedUrl
    snippet
    audience
  }
}
    `) as unknown as TypedDocumentString<ConsoleMintPageEmbedMutation, ConsoleMintPageEmbedMutationVariables>;
export const ConsoleRevokePageEmbedDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRevokePageEmbed($id: ID!) {
  revokePageEmbed(id: $id) {
    ...PageEmbedFields
  }
}
    fragment PageEmbedFields on PageEmbed {
  id
  label
  audience
  minterName
  minter {
    id
    name
  }
  expiresAt
  origins
  rules {
    field
    op
    value
  }
  createdAt
  lastUsedAt
  loadCount
  revokedAt
  selfMinted
  exports
  exportCount
  viewers {
    viewer
    principal {
      id
      name
    }
    loads
    exports
  }
}`) as unknown as TypedDocumentString<ConsoleRevokePageEmbedMutation, ConsoleRevokePageEmbedMutationVariables>;
export const ConsoleSigningSecretsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleSigningSecrets {
  signingSecrets {
    ...SigningSecretFields
  }
}
    fragment SigningSecretFields on SigningSecret {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleSigningSecretsQuery, ConsoleSigningSecretsQueryVariables>;
export const ConsoleCreateSigningSecretDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreateSigningSecret($name: String) {
  createSigningSecret(name: $name) {
    secret {
      ...SigningSecretFields
    }
    plaintext
  }
}
    fragment SigningSecretFields on SigningSecret {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleCreateSigningSecretMutation, ConsoleCreateSigningSecretMutationVariables>;
export const ConsoleSigningSecretImpactDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleSigningSecretImpact($id: ID!) {
  signingSecretImpact(id: $id) {
    liveEmbeds
    pages {
      pageId
      title
      liveEmbeds
    }
    sites
    anySite
  }
}
    `) as unknown as TypedDocumentString<ConsoleSigningSecretImpactQuery, ConsoleSigningSecretImpactQueryVariables>;
export const ConsoleRevokeSigningSecretDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRevokeSigningSecret($id: ID!) {
  revokeSigningSecret(id: $id) {
    ...SigningSecretFields
  }
}
    fragment SigningSecretFields on SigningSecret {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleRevokeSigningSecretMutation, ConsoleRevokeSigningSecretMutationVariables>;
export const ConsoleUsersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleUsers($first: Int, $after: String, $search: String) {
  users(first: $first, after: $after, search: $search) {
    nodes {
      ...UserFields
    }
    nextCursor
    totalCount
  }
}
    fragment UserFields on User {
  id
  externalId
  email
  name
  status
  createdAt
}`) as unknown as TypedDocumentString<ConsoleUsersQuery, ConsoleUsersQueryVariables>;
export const ConsoleEmbedTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleEmbedToken($userId: ID!) {
  embedToken(userId: $userId) {
    token
  }
}
    `) as unknown as TypedDocumentString<ConsoleEmbedTokenQuery, ConsoleEmbedTokenQueryVariables>;
export const ConsoleRegenerateEmbedTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRegenerateEmbedToken($userId: ID!) {
  regenerateEmbedToken(userId: $userId) {
    token
  }
}
    `) as unknown as TypedDocumentString<ConsoleRegenerateEmbedTokenMutation, ConsoleRegenerateEmbedTokenMutationVariables>;
export const ConsoleSuspendUserDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleSuspendUser($id: ID!) {
  suspendUser(id: $id) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  externalId
  email
  name
  status
  createdAt
}`) as unknown as TypedDocumentString<ConsoleSuspendUserMutation, ConsoleSuspendUserMutationVariables>;
export const ConsoleReactivateUserDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleReactivateUser($id: ID!) {
  reactivateUser(id: $id) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  externalId
  email
  name
  status
  createdAt
}`) as unknown as TypedDocumentString<ConsoleReactivateUserMutation, ConsoleReactivateUserMutationVariables>;
export const ConsoleApiKeysDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleApiKeysQuery, ConsoleApiKeysQueryVariables>;
export const ConsoleCreateApiKeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreateApiKey($name: String) {
  createApiKey(name: $name) {
    key {
      ...ApiKeyFields
    }
    plaintext
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleCreateApiKeyMutation, ConsoleCreateApiKeyMutationVariables>;
export const ConsoleRevokeApiKeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleRevokeApiKeyMutation, ConsoleRevokeApiKeyMutationVariables>;
export const ConsoleCreateUserDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    user {
      ...UserFields
    }
    embedToken
  }
}
    fragment UserFields on User {
  id
  externalId
  email
  name
  status
  createdAt
}`) as unknown as TypedDocumentString<ConsoleCreateUserMutation, ConsoleCreateUserMutationVariables>;
export const ConsoleSetPageAccessDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleSetPageAccess($pageId: ID!, $sharing: PageSharing, $grants: [PageGrantInput!]) {
  setPageAccess(pageId: $pageId, sharing: $sharing, grants: $grants) {
    ...PageDefinitionFields
  }
}
    fragment PageDefinitionFields on Page {
  id
  title
  description
  dashboard
  refreshSeconds
  freshnessSeconds
  problems
  updatedAt
  timezone
  weekStart
  theme
  dateRange {
    default
    presets
    maxDays
  }
  owner {
    id
    name
  }
  sharing
  grants {
    principalId
    principal {
      id
      name
    }
    level
  }
  viewerCanEdit
  viewerCanManageAccess
  widgets {
    id
    title
    kind
    width
    clickEvents
    label
    format {
      style
      currency
      unit
      decimals
    }
    columnFormats {
      column
      style
      currency
      unit
      decimals
    }
    query {
      seriesBy
      dataset
      filters {
        field
        op
        value
      }
      groupBy
      bucket
      metric {
        fn
        field
      }
      select
      sort {
        field
        direction
      }
      limit
    }
  }
}`) as unknown as TypedDocumentString<ConsoleSetPageAccessMutation, ConsoleSetPageAccessMutationVariables>;
export const ConsolePrincipalsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePrincipals {
  principals {
    ...PrincipalFields
  }
}
    fragment PrincipalFields on Principal {
  id
  name
  kind
  role
  email
  invitationExpiresAt
  createdAt
  dataAccess {
    all
    owners
    rules {
      field
      op
      value
    }
  }
}`) as unknown as TypedDocumentString<ConsolePrincipalsQuery, ConsolePrincipalsQueryVariables>;
export const ConsoleCreatePrincipalDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreatePrincipal($input: CreatePrincipalInput!) {
  createPrincipal(input: $input) {
    principal {
      ...PrincipalFields
    }
    apiKey
    invite {
      url
      expiresAt
    }
  }
}
    fragment PrincipalFields on Principal {
  id
  name
  kind
  role
  email
  invitationExpiresAt
  createdAt
  dataAccess {
    all
    owners
    rules {
      field
      op
      value
    }
  }
}`) as unknown as TypedDocumentString<ConsoleCreatePrincipalMutation, ConsoleCreatePrincipalMutationVariables>;
export const ConsoleCreateInviteDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreateInvite($principalId: ID!) {
  createInvite(principalId: $principalId) {
    url
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateInviteMutation, ConsoleCreateInviteMutationVariables>;
export const ConsoleSecurityDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleSecurity {
  mySessions {
    ...SessionFields
  }
  myPasskeys {
    ...PasskeyFields
  }
}
    fragment SessionFields on ConsoleSession {
  id
  method
  createdAt
  expiresAt
  current
}
fragment PasskeyFields on Passkey {
  id
  name
  createdAt
  lastUsedAt
}`) as unknown as TypedDocumentString<ConsoleSecurityQuery, ConsoleSecurityQueryVariables>;
export const ConsolePasskeyRegistrationOptionsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsolePasskeyRegistrationOptions {
  passkeyRegistrationOptions
}
    `) as unknown as TypedDocumentString<ConsolePasskeyRegistrationOptionsMutation, ConsolePasskeyRegistrationOptionsMutationVariables>;
export const ConsoleRegisterPasskeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRegisterPasskey($name: String, $response: JSONObject!) {
  registerPasskey(name: $name, response: $response) {
    ...PasskeyFields
  }
}
    fragment PasskeyFields on Passkey {
  id
  name
  createdAt
  lastUsedAt
}`) as unknown as TypedDocumentString<ConsoleRegisterPasskeyMutation, ConsoleRegisterPasskeyMutationVariables>;
export const ConsoleRemovePasskeyDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
    `) as unknown as TypedDocumentString<ConsoleRemovePasskeyMutation, ConsoleRemovePasskeyMutationVariables>;
export const ConsoleSignOutEverywhereDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleSignOutEverywhere {
  signOutEverywhere
}
    `) as unknown as TypedDocumentString<ConsoleSignOutEverywhereMutation, ConsoleSignOutEverywhereMutationVariables>;
export const ConsoleUpdatePrincipalDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleUpdatePrincipal($id: ID!, $input: UpdatePrincipalInput!) {
  updatePrincipal(id: $id, input: $input) {
    ...PrincipalFields
  }
}
    fragment PrincipalFields on Principal {
  id
  name
  kind
  role
  email
  invitationExpiresAt
  createdAt
  dataAccess {
    all
    owners
    rules {
      field
      op
      value
    }
  }
}`) as unknown as TypedDocumentString<ConsoleUpdatePrincipalMutation, ConsoleUpdatePrincipalMutationVariables>;
export const ConsoleDeletePrincipalDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleDeletePrincipal($id: ID!) {
  deletePrincipal(id: $id)
}
    `) as unknown as TypedDocumentString<ConsoleDeletePrincipalMutation, ConsoleDeletePrincipalMutationVariables>;
export const ConsoleInspectEmbedTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleInspectEmbedToken($token: String!) {
  inspectEmbedToken(token: $token) {
    kind
    valid
    reason
    expiresAt
    audience
    pageId
    page {
      id
      title
    }
    user {
      id
      externalId
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleInspectEmbedTokenQuery, ConsoleInspectEmbedTokenQueryVariables>;
export const ConsoleAuditEventsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleAuditEvents($filter: AuditFilterInput, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      seq
      at
      action
      actor {
        kind
        id
        addressDigest
      }
      targets
      jti
      kid
      origin
      outcome
      detail
    }
    endCursor
    hasNextPage
  }
}
    `) as unknown as TypedDocumentString<ConsoleAuditEventsQuery, ConsoleAuditEventsQueryVariables>;
export const ConsoleVerifyAuditChainDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleVerifyAuditChain {
  verifyAuditChain {
    ok
    events
    firstBrokenAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleVerifyAuditChainQuery, ConsoleVerifyAuditChainQueryVariables>;
export const ConsoleTokenIssuersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsoleTokenIssuers {
  tokenIssuers {
    ...TokenIssuerFields
  }
}
    fragment TokenIssuerFields on TokenIssuer {
  id
  name
  issuer
  audience
  jwksUrl
  algorithms
  createdAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleTokenIssuersQuery, ConsoleTokenIssuersQueryVariables>;
export const ConsoleCreateTokenIssuerDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleCreateTokenIssuer($input: CreateTokenIssuerInput!) {
  createTokenIssuer(input: $input) {
    ...TokenIssuerFields
  }
}
    fragment TokenIssuerFields on TokenIssuer {
  id
  name
  issuer
  audience
  jwksUrl
  algorithms
  createdAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleCreateTokenIssuerMutation, ConsoleCreateTokenIssuerMutationVariables>;
export const ConsoleRevokeTokenIssuerDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ConsoleRevokeTokenIssuer($id: ID!) {
  revokeTokenIssuer(id: $id) {
    ...TokenIssuerFields
  }
}
    fragment TokenIssuerFields on TokenIssuer {
  id
  name
  issuer
  audience
  jwksUrl
  algorithms
  createdAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleRevokeTokenIssuerMutation, ConsoleRevokeTokenIssuerMutationVariables>;