/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Audience =
  | 'PUBLIC'
  | 'SELF'
  | 'WORKSPACE';

export type Bucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

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

export type FormatStyle =
  | 'COMPACT'
  | 'CURRENCY'
  | 'DURATION'
  | 'NUMBER'
  | 'PERCENT';

export type MintPageEmbedInput = {
  audience: Audience;
  /** A BCP 47 locale for numbers and dates (claim `locale`), e.g. de-DE; default: the viewer's browser. */
  locale?: string | null | undefined;
  /** Sites allowed to frame the embed, as origins (https://example.com). Empty: any site. */
  origins?: Array<string> | null | undefined;
  pageId: string | number;
  /** The range the embed opens with (token claim `range`). Locks it unless viewerCanChangeRange. */
  range?: DateRangeInput | null | undefined;
  rules?: Array<RuleInput> | null | undefined;
  /** An IANA zone for this embed (claim `tz`); a viewer's own zone still wins. */
  timezone?: string | null | undefined;
  /** Default 3600; at most PORTHOLE_MAX_EMBED_TTL_DAYS days (default 365). */
  ttlSeconds?: unknown;
  /** Default: false when `range` is given, else true when the page has a dateRange (claim `viewerCanChangeRange`). */
  viewerCanChangeRange?: boolean | null | undefined;
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

export type UserStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

export type WidgetKind =
  | 'BAR'
  | 'LINE'
  | 'NUMBER'
  | 'TABLE';

export type EmbeddedPageFieldsFragment = { id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, rangeLocked: boolean, presets: Array<DateRangePreset>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> };

export type PageEmbedSelectionFragment = { page: { id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, rangeLocked: boolean, presets: Array<DateRangePreset>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> } };

export type DashboardEmbedSelectionFragment = { dashboard: { pages: Array<{ id: string, title: string, description: string | null, refreshSeconds: number | null, timezone: string, locale: string | null, rangeLocked: boolean, presets: Array<DateRangePreset>, range: { preset: DateRangePreset | null, from: string | null, to: string | null }, widgets: Array<{ id: string, title: string, kind: WidgetKind, label: string | null, columnLabels: Array<string> | null, seriesBy: string | null, bucket: Bucket | null, format: { style: FormatStyle, currency: string | null, unit: string | null, decimals: number | null } | null, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> }> } };

export type ValidateEmbedTokenMutationVariables = Exact<{
  embedToken: string;
}>;


export type ValidateEmbedTokenMutation = { validateEmbedToken: { authToken: string, expiresAt: string } };

export type ViewerFieldsFragment = { id: string, name: string, kind: PrincipalKind, role: Role, workspace: { id: string, slug: string, name: string } };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { id: string, name: string, kind: PrincipalKind, role: Role, workspace: { id: string, slug: string, name: string } } };

export type ConsolePagesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePagesQuery = { pages: Array<{ id: string, title: string, description: string | null, dashboard: boolean, updatedAt: string, widgets: Array<{ id: string }> }> };

export type ConsolePageQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsolePageQuery = { page: { id: string, title: string, description: string | null, dashboard: boolean, refreshSeconds: number | null, updatedAt: string, widgets: Array<{ id: string, title: string, kind: WidgetKind }> } };

export type PageEmbedFieldsFragment = { id: string, audience: Audience, minterName: string, expiresAt: string, origins: Array<string>, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> };

export type ConsolePageEmbedsQueryVariables = Exact<{
  pageId: string | number;
}>;


export type ConsolePageEmbedsQuery = { pageEmbeds: Array<{ id: string, audience: Audience, minterName: string, expiresAt: string, origins: Array<string>, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> }> };

export type ConsoleMintPageEmbedMutationVariables = Exact<{
  input: MintPageEmbedInput;
}>;


export type ConsoleMintPageEmbedMutation = { mintPageEmbed: { id: string, token: string, expiresAt: string, embedUrl: unknown, snippet: string, audience: Audience } };

export type ConsoleRevokePageEmbedMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokePageEmbedMutation = { revokePageEmbed: { id: string, audience: Audience, minterName: string, expiresAt: string, origins: Array<string>, createdAt: string, lastUsedAt: string | null, loadCount: number, revokedAt: string | null, minter: { id: string, name: string } | null, rules: Array<{ field: string, op: RuleOp, value: string | number | boolean | null }> } };

export type SigningSecretFieldsFragment = { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ConsoleSigningSecretsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSigningSecretsQuery = { signingSecrets: Array<{ id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type ConsoleCreateSigningSecretMutationVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ConsoleCreateSigningSecretMutation = { createSigningSecret: { plaintext: string, secret: { id: string, name: string | null, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

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
export const EmbeddedPageFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    id
    title
    kind
    label
    columnLabels
    seriesBy
    bucket
    format {
      style
      currency
      unit
      decimals
    }
    data {
      columns
      rows
    }
  }
}
    `, {"fragmentName":"EmbeddedPageFields"}) as unknown as TypedDocumentString<EmbeddedPageFieldsFragment, unknown>;
export const PageEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageEmbedSelection on EmbedQuery {
  page(range: $range, timezone: $timezone) {
    ...EmbeddedPageFields
  }
}
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    id
    title
    kind
    label
    columnLabels
    seriesBy
    bucket
    format {
      style
      currency
      unit
      decimals
    }
    data {
      columns
      rows
    }
  }
}`, {"fragmentName":"PageEmbedSelection"}) as unknown as TypedDocumentString<PageEmbedSelectionFragment, unknown>;
export const DashboardEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardEmbedSelection on EmbedQuery {
  dashboard(timezone: $timezone) {
    pages {
      ...EmbeddedPageFields
    }
  }
}
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  timezone
  locale
  rangeLocked
  presets
  range {
    preset
    from
    to
  }
  widgets {
    id
    title
    kind
    label
    columnLabels
    seriesBy
    bucket
    format {
      style
      currency
      unit
      decimals
    }
    data {
      columns
      rows
    }
  }
}`, {"fragmentName":"DashboardEmbedSelection"}) as unknown as TypedDocumentString<DashboardEmbedSelectionFragment, unknown>;
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
  }
}
    `, {"fragmentName":"ViewerFields"}) as unknown as TypedDocumentString<ViewerFieldsFragment, unknown>;
export const PageEmbedFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageEmbedFields on PageEmbed {
  id
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
  }
}`) as unknown as TypedDocumentString<ConsoleViewerQuery, ConsoleViewerQueryVariables>;
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
    widgets {
      id
      title
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePageQuery, ConsolePageQueryVariables>;
export const ConsolePageEmbedsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query ConsolePageEmbeds($pageId: ID!) {
  pageEmbeds(pageId: $pageId) {
    ...PageEmbedFields
  }
}
    fragment PageEmbedFields on PageEmbed {
  id
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