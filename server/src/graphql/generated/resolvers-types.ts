import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PrincipalDoc, ApiKeyDoc, UserDoc, PageDoc, WorkspaceDoc, SigningSecretDoc, TokenIssuerDoc, PasskeyDoc, AuditEventDoc } from '../../domain/types.js';
import type { PageEmbedView } from '../../embeds/embed-details.js';
import type { SessionSummary } from '../../console/console-sessions.service.js';
import type { IssuedInvitation } from '../../people/invitations.service.js';
import type { EmbeddedPage as RenderedPage } from '../../embeds/renderer.js';
import type { TokenInspectionResult } from '../../embeds/token-inspection.service.js';
import type { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: Date; output: Date; }
  EmailAddress: { input: string; output: string; }
  JSON: { input: unknown; output: unknown; }
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  PositiveInt: { input: number; output: number; }
  URL: { input: string; output: string; }
};

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  /** The non-secret start of the key, for recognising it in lists. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Audience =
  | 'PUBLIC'
  | 'SELF'
  | 'WORKSPACE';

/** What an audited action was taken by. */
export type AuditActor = {
  __typename?: 'AuditActor';
  /** A keyed digest of the client address (never the address). */
  addressDigest?: Maybe<Scalars['String']['output']>;
  /** A principal id, an end user's externalId; null for an anonymous viewer. */
  id?: Maybe<Scalars['ID']['output']>;
  /** PRINCIPAL (a member or agent), VIEWER (a signed-in person viewing an embed), END_USER or ANONYMOUS. */
  kind: Scalars['String']['output'];
};

/** What checking the workspace's hash chain found. */
export type AuditChain = {
  __typename?: 'AuditChain';
  /** Events checked (those retention has kept). */
  events: Scalars['Int']['output'];
  /** The seq of the first event that is not as it was appended, or that is missing. */
  firstBrokenAt?: Maybe<Scalars['Int']['output']>;
  ok: Scalars['Boolean']['output'];
};

/** One event of the workspace's audit trail. */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  /** embed.mint, embed.self-minted-registered, embed.revoke, embed.open (sampled: once per embed and viewer per hour), embed.export, signing-secret.create, signing-secret.revoke, principal.create, principal.update, principal.delete, principal.invite, sign-in, page.access-change, user.create, user.suspend, user.reactivate, user.regenerate-token, user.delete, records.erase. */
  action: Scalars['String']['output'];
  actor: AuditActor;
  at: Scalars['DateTime']['output'];
  detail: Scalars['JSONObject']['output'];
  hash: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  jti?: Maybe<Scalars['String']['output']>;
  kid?: Maybe<Scalars['String']['output']>;
  /** The surface it came through (console, embed), when known. */
  origin?: Maybe<Scalars['String']['output']>;
  /** SUCCESS or FAILURE. */
  outcome: Scalars['String']['output'];
  prevHash: Scalars['String']['output'];
  /** Its place in the workspace's hash chain. */
  seq: Scalars['Int']['output'];
  /** The ids acted on, by kind (pageId, embedId, principalId, userId, secretId, widgetId, owner). */
  targets: Scalars['JSONObject']['output'];
};

export type AuditEventConnection = {
  __typename?: 'AuditEventConnection';
  /** Pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<AuditEvent>;
};

/** Equality filters on the audit trail; all given must hold. */
export type AuditFilterInput = {
  action?: InputMaybe<Scalars['String']['input']>;
  /** A principal id or an end user's externalId. */
  actorId?: InputMaybe<Scalars['ID']['input']>;
  /** SUCCESS or FAILURE. */
  outcome?: InputMaybe<Scalars['String']['input']>;
  /** Any id the event acted on. */
  targetId?: InputMaybe<Scalars['ID']['input']>;
};

export type Bucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

/** Why a series is shown by a coarser bucket: the period holds more of its own buckets than a series may have points. */
export type CoarserBucket = {
  __typename?: 'CoarserBucket';
  /** How many of the widget's own buckets the period holds; for a period without bounds (all time), from its first with data to the end of the last shown, or now. Null when unknown. */
  buckets?: Maybe<Scalars['Int']['output']>;
  /** The most points one series may have (the widget's limit, at most 1000). */
  maxPoints: Scalars['Int']['output'];
};

/** How one column of a TABLE is written; columns without one use the widget's format. */
export type ColumnFormat = {
  __typename?: 'ColumnFormat';
  /** The column, as the widget's data names it: a selected field, the groupBy field or `at`, or the metric (count, sum(revenue)). */
  column: Scalars['String']['output'];
  currency?: Maybe<Scalars['String']['output']>;
  decimals?: Maybe<Scalars['Int']['output']>;
  style: FormatStyle;
  unit?: Maybe<Scalars['String']['output']>;
};

export type ColumnFormatInput = {
  column: Scalars['String']['input'];
  currency?: InputMaybe<Scalars['String']['input']>;
  decimals?: InputMaybe<Scalars['Int']['input']>;
  style: FormatStyle;
  unit?: InputMaybe<Scalars['String']['input']>;
};

/** A console session of the viewer. */
export type ConsoleSession = {
  __typename?: 'ConsoleSession';
  createdAt: Scalars['DateTime']['output'];
  /** True for the session this request was sent with. */
  current: Scalars['Boolean']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  method: SignInMethod;
};

export type CreateApiKeyPayload = {
  __typename?: 'CreateApiKeyPayload';
  key: ApiKey;
  /** The key itself. Shown exactly once; only a hash is stored. */
  plaintext: Scalars['String']['output'];
};

export type CreatePageInput = {
  /** Show on every end user's dashboard. Needs data access to every owner with no rules (FORBIDDEN otherwise): its title and widgets appear in every tenant's view. */
  dashboard?: InputMaybe<Scalars['Boolean']['input']>;
  dateRange?: InputMaybe<DateRangeSettingsInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  freshnessSeconds?: InputMaybe<Scalars['Int']['input']>;
  refreshSeconds?: InputMaybe<Scalars['PositiveInt']['input']>;
  /** Default: none (LIGHT). */
  theme?: InputMaybe<Theme>;
  /** An IANA zone name; default UTC. */
  timezone?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
  /** Default MONDAY. */
  weekStart?: InputMaybe<Weekday>;
  widgets: Array<WidgetInput>;
};

export type CreatePrincipalInput = {
  dataAccess: DataAccessInput;
  /** A person's sign-in email (MEMBER only), unique in the workspace, case-insensitive. With one, the payload carries an invitation and no API key. */
  email?: InputMaybe<Scalars['EmailAddress']['input']>;
  kind: PrincipalKind;
  name: Scalars['String']['input'];
  role: Role;
};

export type CreatePrincipalPayload = {
  __typename?: 'CreatePrincipalPayload';
  /** The new principal's first API key, for agents and members created without an email. Shown exactly once. Null when `invite` is set. */
  apiKey?: Maybe<Scalars['String']['output']>;
  /** For a member created with an email: the link where they choose a password. Shown exactly once. */
  invite?: Maybe<Invite>;
  principal: Principal;
};

export type CreateSigningSecretPayload = {
  __typename?: 'CreateSigningSecretPayload';
  /** The secret itself. Shown exactly once; stored encrypted. */
  plaintext: Scalars['String']['output'];
  secret: SigningSecret;
};

export type CreateTokenIssuerInput = {
  algorithms: Array<IssuerAlgorithm>;
  /** Default porthole:embed. */
  audience?: InputMaybe<Scalars['String']['input']>;
  issuer: Scalars['String']['input'];
  /** https: (http: to localhost only outside production). Exactly one of jwksUrl and publicKeyPem. */
  jwksUrl?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** A PEM public key (-----BEGIN PUBLIC KEY-----). */
  publicKeyPem?: InputMaybe<Scalars['String']['input']>;
};

export type CreateUserInput = {
  email?: InputMaybe<Scalars['EmailAddress']['input']>;
  externalId: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

export type CreateUserPayload = {
  __typename?: 'CreateUserPayload';
  embedToken: Scalars['String']['output'];
  user: User;
};

/** What records a principal may read: all owners, or only the listed owners, narrowed by rules. */
export type DataAccess = {
  __typename?: 'DataAccess';
  all: Scalars['Boolean']['output'];
  owners: Array<Scalars['String']['output']>;
  rules: Array<Rule>;
};

export type DataAccessInput = {
  /** Every record of the workspace. Defaults to false: access is granted, never assumed. */
  all?: InputMaybe<Scalars['Boolean']['input']>;
  owners?: InputMaybe<Array<Scalars['String']['input']>>;
  rules?: InputMaybe<Array<RuleInput>>;
};

/** A dataset of the workspace as the catalog knows it (kept up to date on ingest): names, types and counts only. */
export type Dataset = {
  __typename?: 'Dataset';
  /** Most common first; `owner` and `at` are fields of every dataset. */
  fields: Array<DatasetField>;
  /** When data last arrived: the time of the last ingest that stored a record (null before it was kept). */
  lastIngestedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The newest record's own time (`at`). */
  lastRecordAt: Scalars['DateTime']['output'];
  name: Scalars['String']['output'];
  recordCount: Scalars['Int']['output'];
};

/** A field seen in a dataset's records: the types its values were observed as and how many records carried it. Never its values. */
export type DatasetField = {
  __typename?: 'DatasetField';
  count: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  types: Array<FieldType>;
};

/** The range an embed shows: its preset (null for a custom range) and bounds (null: unbounded). */
export type DateRange = {
  __typename?: 'DateRange';
  from?: Maybe<Scalars['DateTime']['output']>;
  preset?: Maybe<DateRangePreset>;
  to?: Maybe<Scalars['DateTime']['output']>;
};

/** A preset, or a custom range from `from` (inclusive) to `to` (exclusive). */
export type DateRangeInput = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  preset?: InputMaybe<DateRangePreset>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
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

/** The date ranges a page offers its viewers. */
export type DateRangeSettings = {
  __typename?: 'DateRangeSettings';
  default: DateRangePreset;
  /** The longest custom from/to range, in days. */
  maxDays: Scalars['Int']['output'];
  presets: Array<DateRangePreset>;
};

export type DateRangeSettingsInput = {
  /** Default LAST_30_DAYS. */
  default?: InputMaybe<DateRangePreset>;
  /** Default 366; at most 3660. */
  maxDays?: InputMaybe<Scalars['PositiveInt']['input']>;
  /** Default: every preset. Must include `default`. */
  presets?: InputMaybe<Array<DateRangePreset>>;
};

export type DeleteRecordsPayload = {
  __typename?: 'DeleteRecordsPayload';
  /** Records erased. */
  deleted: Scalars['Int']['output'];
};

/** The embed API (POST /embed/graphql). Credential: `Authorization: Bearer <token>`. */
export type EmbedQuery = {
  __typename?: 'EmbedQuery';
  /**
   * The dashboard pages of the user whose session token this is, scoped to that user. `range` applies to every page
   * that offers it, `ranges` to the page each one names (it wins over `range` there); a page that cannot take the
   * range asked for (no dateRange, a preset it does not offer, longer than its maxDays) keeps its own. At most 50
   * `ranges`.
   */
  dashboard: EmbeddedDashboard;
  /**
   * A one-time download URL for one widget of the page a page embed token opens, in `format`, with the data as `page`
   * renders it for the same token, `range` and `timezone`. EMBED_EXPORT_NOT_ALLOWED when the token does not allow the
   * format; a dead token gets the one EMBED_UNAVAILABLE, also when the URL is used.
   */
  exportWidget: ExportJob;
  /** The page a page embed token opens, rendered in the token's scope, narrowed to `range`. An unknown `timezone` is ignored. */
  page: EmbeddedPage;
};


/** The embed API (POST /embed/graphql). Credential: `Authorization: Bearer <token>`. */
export type EmbedQueryDashboardArgs = {
  range?: InputMaybe<DateRangeInput>;
  ranges?: InputMaybe<Array<PageRangeInput>>;
  timezone?: InputMaybe<Scalars['String']['input']>;
};


/** The embed API (POST /embed/graphql). Credential: `Authorization: Bearer <token>`. */
export type EmbedQueryExportWidgetArgs = {
  format: ExportFormat;
  range?: InputMaybe<DateRangeInput>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  widgetId: Scalars['ID']['input'];
};


/** The embed API (POST /embed/graphql). Credential: `Authorization: Bearer <token>`. */
export type EmbedQueryPageArgs = {
  range?: InputMaybe<DateRangeInput>;
  timezone?: InputMaybe<Scalars['String']['input']>;
};

export type EmbedSession = {
  __typename?: 'EmbedSession';
  authToken: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
};

export type EmbedToken = {
  __typename?: 'EmbedToken';
  token: Scalars['String']['output'];
};

/** One viewer's use of one embed: a signed-in person's principal id, or `anonymous` for every anonymous viewer together. */
export type EmbedViewerUsage = {
  __typename?: 'EmbedViewerUsage';
  exports: Scalars['Int']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  loads: Scalars['Int']['output'];
  /** The person, when the viewer is one of this workspace. */
  principal?: Maybe<Principal>;
  viewer: Scalars['String']['output'];
};

export type EmbeddedDashboard = {
  __typename?: 'EmbeddedDashboard';
  pages: Array<EmbeddedPage>;
};

export type EmbeddedPage = {
  __typename?: 'EmbeddedPage';
  description?: Maybe<Scalars['String']['output']>;
  /** The formats the token allows downloading widgets in (`exportWidget`); empty for none. */
  exports: Array<ExportFormat>;
  id: Scalars['ID']['output'];
  /** The token's locale, if it names one. */
  locale?: Maybe<Scalars['String']['output']>;
  /** The longest custom range the viewer may pick, in days; null when locked. */
  maxDays?: Maybe<Scalars['Int']['output']>;
  /** The presets the viewer may pick; empty when the range is locked. */
  presets: Array<DateRangePreset>;
  range: DateRange;
  /** True when the viewer cannot change the range. */
  rangeLocked: Scalars['Boolean']['output'];
  refreshSeconds?: Maybe<Scalars['Int']['output']>;
  /** The token's theme, else the page's, else LIGHT; the host's own choice wins over it. */
  theme: Theme;
  /** The effective IANA zone: the viewer's, else the token's, else the page's. */
  timezone: Scalars['String']['output'];
  title: Scalars['String']['output'];
  weekStart: Weekday;
  widgets: Array<EmbeddedWidget>;
};

export type EmbeddedWidget = {
  __typename?: 'EmbeddedWidget';
  /** The time bucket the widget asks for, when it has one. */
  bucket?: Maybe<Bucket>;
  /** The time bucket of the first column of `data`: `bucket`, or a coarser one when the period holds more buckets than a series may have points (`coarser` says so). */
  bucketShown?: Maybe<Bucket>;
  /** Whether the embed sends `porthole:point-click` for this widget's marks and rows. */
  clickEvents: Scalars['Boolean']['output'];
  /** Set when the series is shown by a coarser bucket than it asks for. */
  coarser?: Maybe<CoarserBucket>;
  columnFormats?: Maybe<Array<ColumnFormat>>;
  columnLabels?: Maybe<Array<Scalars['String']['output']>>;
  /** Set when the data holds fewer rows than the query matched (its limit, or the point cap): the first rows its sort asks for. */
  cut?: Maybe<RowsShown>;
  data: WidgetData;
  format?: Maybe<WidgetFormat>;
  id: Scalars['ID']['output'];
  kind: WidgetKind;
  label?: Maybe<Scalars['String']['output']>;
  /** Set when the first or last bucket of a time series covers only part of its period. */
  partial?: Maybe<PartialBuckets>;
  /** The field whose values are the series (the middle column of `data`), when the widget has one. */
  seriesBy?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  /** How much of the page's row the card takes; a narrow embed shows every card full width. */
  width: WidgetWidth;
};

/** A file format an embed's widget may be downloaded in. */
export type ExportFormat =
  | 'CSV'
  | 'XLSX';

/** A one-time download of one widget's data, as the embed renders it for the token. */
export type ExportJob = {
  __typename?: 'ExportJob';
  expiresAt: Scalars['DateTime']['output'];
  format: ExportFormat;
  /** Downloads the file once, within 5 minutes; the token is checked again then. */
  url: Scalars['URL']['output'];
};

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

export type IngestPayload = {
  __typename?: 'IngestPayload';
  /** Records whose `id` was already stored in this dataset (or came earlier in the call): not stored again. */
  duplicates: Scalars['Int']['output'];
  /** Records stored by this call. */
  inserted: Scalars['Int']['output'];
};

/** A one-use link to the console where a person chooses a password and is signed in. */
export type Invite = {
  __typename?: 'Invite';
  expiresAt: Scalars['DateTime']['output'];
  /** Works once, until `expiresAt` (7 days), and only until a newer invitation is issued. Shown exactly once; only a hash of its code is stored. */
  url: Scalars['URL']['output'];
};

/** An algorithm a registered token issuer may sign page embed tokens with. */
export type IssuerAlgorithm =
  | 'ES256'
  | 'EdDSA'
  | 'RS256';

export type Metric = {
  __typename?: 'Metric';
  field?: Maybe<Scalars['String']['output']>;
  fn: MetricFn;
};

export type MetricFn =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'SUM';

export type MetricInput = {
  /** The numeric field to aggregate; not used by COUNT. */
  field?: InputMaybe<Scalars['String']['input']>;
  fn: MetricFn;
};

export type MintPageEmbedInput = {
  audience: Audience;
  /** The formats viewers may download its widgets in (claim `exports`). Default: none. */
  exports?: InputMaybe<Array<ExportFormat>>;
  /** A name to recognise the embed by, such as the partner site it is for (at most 100 characters). */
  label?: InputMaybe<Scalars['String']['input']>;
  /** A BCP 47 locale for numbers, dates and the embed's own words (claim `locale`), e.g. de-DE; default: the viewer's browser. */
  locale?: InputMaybe<Scalars['String']['input']>;
  /** Sites allowed to frame the embed, as origins (https://example.com). Empty: any site. */
  origins?: InputMaybe<Array<Scalars['String']['input']>>;
  pageId: Scalars['ID']['input'];
  /** The range the embed opens with (token claim `range`). Locks it unless viewerCanChangeRange. */
  range?: InputMaybe<DateRangeInput>;
  rules?: InputMaybe<Array<RuleInput>>;
  /** How the embed looks (claim `theme`); the host's own choice still wins. Default: the page's, else LIGHT. */
  theme?: InputMaybe<Theme>;
  /** An IANA zone for this embed (claim `tz`); a viewer's own zone still wins. */
  timezone?: InputMaybe<Scalars['String']['input']>;
  /** Default 3600; at most PORTHOLE_MAX_EMBED_TTL_DAYS days (default 365). */
  ttlSeconds?: InputMaybe<Scalars['PositiveInt']['input']>;
  /** Default: false when `range` is given, else true when the page has a dateRange (claim `viewerCanChangeRange`). */
  viewerCanChangeRange?: InputMaybe<Scalars['Boolean']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createApiKey: CreateApiKeyPayload;
  /** A new invitation link for a member with an email (admins), ending the previous one. Also resets their sign-in: their password and passkeys are removed and their console sessions end. */
  createInvite: Invite;
  createPage: Page;
  createPrincipal: CreatePrincipalPayload;
  createSigningSecret: CreateSigningSecretPayload;
  /** Registers a partner's own signer of page embed tokens (admins). */
  createTokenIssuer: TokenIssuer;
  createUser: CreateUserPayload;
  deletePage: Scalars['Boolean']['output'];
  deletePrincipal: Scalars['Boolean']['output'];
  /** Erases an owner's records in one dataset. Needs data access to all of that owner's records. */
  deleteRecords: DeleteRecordsPayload;
  /** Deletes the user; with `eraseRecords: true`, first erases every record whose `owner` is the user's externalId (in every dataset). */
  deleteUser: Scalars['Boolean']['output'];
  /** Ends the caller's preview embed of a page at once (the console calls it when the member leaves the page). */
  endPageEmbedPreview: Scalars['Boolean']['output'];
  /** Stores records. A record may carry an `id` (a string of at most 64 characters): sent again for the same owner and dataset, it is not stored twice. Ids are per owner: another owner's record with the same `id` is another record. */
  ingestRecords: IngestPayload;
  mintPageEmbed: PageEmbedToken;
  /** WebAuthn options for registering a passkey (PublicKeyCredentialCreationOptionsJSON); their challenge works once, for 5 minutes. */
  passkeyRegistrationOptions: Scalars['JSONObject']['output'];
  /** The console's live preview of a page for the caller: a short SELF embed, one reused record per page and caller, never listed. */
  previewPageEmbed: PageEmbedToken;
  reactivateUser: User;
  regenerateEmbedToken: EmbedToken;
  /** Verifies the browser's answer to `passkeyRegistrationOptions` (RegistrationResponseJSON) and adds the passkey. */
  registerPasskey: Passkey;
  removePasskey: Scalars['Boolean']['output'];
  revokeApiKey: ApiKey;
  revokePageEmbed: PageEmbed;
  revokeSigningSecret: SigningSecret;
  /** Ends every token of the issuer on its next load (admins). */
  revokeTokenIssuer: TokenIssuer;
  /** Sets who may see and edit the page (owner or admin). Omitted arguments stay as they are; grants replace the list. */
  setPageAccess: Page;
  /** Ends every console session of the viewer, the current one included. Returns how many ended. */
  signOutEverywhere: Scalars['Int']['output'];
  suspendUser: User;
  updatePage: Page;
  updatePrincipal: Principal;
  /** Changes the workspace's settings (admins). */
  updateWorkspace: Workspace;
  /** Exchange an embed token for a short-lived session. Needs no API key. */
  validateEmbedToken: EmbedSession;
};


export type MutationCreateApiKeyArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateInviteArgs = {
  principalId: Scalars['ID']['input'];
};


export type MutationCreatePageArgs = {
  input: CreatePageInput;
};


export type MutationCreatePrincipalArgs = {
  input: CreatePrincipalInput;
};


export type MutationCreateSigningSecretArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateTokenIssuerArgs = {
  input: CreateTokenIssuerInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationDeletePageArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeletePrincipalArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteRecordsArgs = {
  dataset: Scalars['String']['input'];
  owner: Scalars['String']['input'];
};


export type MutationDeleteUserArgs = {
  eraseRecords?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationEndPageEmbedPreviewArgs = {
  pageId: Scalars['ID']['input'];
};


export type MutationIngestRecordsArgs = {
  dataset: Scalars['String']['input'];
  records: Array<Scalars['JSONObject']['input']>;
};


export type MutationMintPageEmbedArgs = {
  input: MintPageEmbedInput;
};


export type MutationPreviewPageEmbedArgs = {
  pageId: Scalars['ID']['input'];
};


export type MutationReactivateUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRegenerateEmbedTokenArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationRegisterPasskeyArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
  response: Scalars['JSONObject']['input'];
};


export type MutationRemovePasskeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokePageEmbedArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeSigningSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeTokenIssuerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetPageAccessArgs = {
  grants?: InputMaybe<Array<PageGrantInput>>;
  pageId: Scalars['ID']['input'];
  sharing?: InputMaybe<PageSharing>;
};


export type MutationSuspendUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdatePageArgs = {
  id: Scalars['ID']['input'];
  input: UpdatePageInput;
};


export type MutationUpdatePrincipalArgs = {
  id: Scalars['ID']['input'];
  input: UpdatePrincipalInput;
};


export type MutationUpdateWorkspaceArgs = {
  input: UpdateWorkspaceInput;
};


export type MutationValidateEmbedTokenArgs = {
  embedToken: Scalars['String']['input'];
};

export type Page = {
  __typename?: 'Page';
  /** The principal who last saved the widgets. Every embed of the page reads within the author's data access. */
  author?: Maybe<Principal>;
  /** True when the author no longer exists: the page renders nothing until an editor saves its widgets again. */
  authorMissing: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Shown on every end user's dashboard, scoped to that user. */
  dashboard: Scalars['Boolean']['output'];
  /** Null: the page shows all time and viewers cannot choose a range. */
  dateRange?: Maybe<DateRangeSettings>;
  description?: Maybe<Scalars['String']['output']>;
  /** A busy embed may serve a result at most this old. 0 means always live. */
  freshnessSeconds: Scalars['Int']['output'];
  grants: Array<PageGrant>;
  id: Scalars['ID']['output'];
  /** The principal who created the page; it may always edit it and set its access. */
  owner?: Maybe<Principal>;
  /** What does not resolve against the dataset catalog now (a dataset without records, a field gone), one sentence each. */
  problems: Array<Scalars['String']['output']>;
  /** Embeds re-fetch on this interval; null for no automatic refresh. */
  refreshSeconds?: Maybe<Scalars['Int']['output']>;
  sharing: PageSharing;
  /** How its embeds look unless the host or the token says otherwise; null: LIGHT. */
  theme?: Maybe<Theme>;
  /** IANA zone time buckets and date ranges are cut in, unless the token or the viewer names another. */
  timezone: Scalars['String']['output'];
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Whether the viewer may edit or delete this page. */
  viewerCanEdit: Scalars['Boolean']['output'];
  /** Whether the viewer may change sharing and grants (the owner and admins). */
  viewerCanManageAccess: Scalars['Boolean']['output'];
  weekStart: Weekday;
  widgets: Array<Widget>;
};

export type PageAccessLevel =
  /** VIEW, and edit or delete the page. */
  | 'EDIT'
  /** See the page and mint SELF or WORKSPACE embeds of it. */
  | 'VIEW';

/** A record of one minted page embed token, for listing and revoking it. */
export type PageEmbed = {
  __typename?: 'PageEmbed';
  audience: Audience;
  createdAt: Scalars['DateTime']['output'];
  expiresAt: Scalars['DateTime']['output'];
  /** Files downloaded from it. */
  exportCount: Scalars['Int']['output'];
  /** The formats viewers may download its widgets in. */
  exports: Array<ExportFormat>;
  id: Scalars['ID']['output'];
  /** A name for the embed. Null when none was given, and for viewers other than its minter, an editor of the page or an admin. */
  label?: Maybe<Scalars['String']['output']>;
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  loadCount: Scalars['Int']['output'];
  minter?: Maybe<Principal>;
  minterName: Scalars['String']['output'];
  /** The sites that may frame it (empty: any site). Null for viewers other than its minter, an editor of the page or an admin. */
  origins?: Maybe<Array<Scalars['String']['output']>>;
  pageId: Scalars['ID']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The rules that narrow what it shows. Null for viewers other than its minter, an editor of the page or an admin. */
  rules?: Maybe<Array<Rule>>;
  /** True for a token minted outside Porthole with a signing secret, registered on its first load. */
  selfMinted: Scalars['Boolean']['output'];
  /** Loads and exports per viewer, most loads first. */
  viewers: Array<EmbedViewerUsage>;
};

export type PageEmbedToken = {
  __typename?: 'PageEmbedToken';
  audience: Audience;
  embedUrl: Scalars['URL']['output'];
  expiresAt: Scalars['DateTime']['output'];
  /** The embed's id (the token's `jti`). */
  id: Scalars['ID']['output'];
  snippet: Scalars['String']['output'];
  token: Scalars['String']['output'];
};

export type PageGrant = {
  __typename?: 'PageGrant';
  level: PageAccessLevel;
  /** Null when the principal no longer exists. */
  principal?: Maybe<Principal>;
  principalId: Scalars['ID']['output'];
};

export type PageGrantInput = {
  level: PageAccessLevel;
  principalId: Scalars['ID']['input'];
};

/** One page's range on a user dashboard (the page's own range picker). */
export type PageRangeInput = {
  pageId: Scalars['ID']['input'];
  range: DateRangeInput;
};

/** Who in the workspace may see and edit a page, beyond its owner and the admins. */
export type PageSharing =
  /** Only the owner, the admins and principals with a grant. */
  | 'PRIVATE'
  /** Every principal of the workspace may view and edit it. */
  | 'WORKSPACE_EDIT'
  /** Every principal of the workspace may view it (the default). */
  | 'WORKSPACE_VIEW';

/** The ends of a time series that cover only part of their bucket: the range starts or ends inside it, or it is still running. */
export type PartialBuckets = {
  __typename?: 'PartialBuckets';
  first: Scalars['Boolean']['output'];
  last: Scalars['Boolean']['output'];
};

/** A passkey the viewer registered for console sign-in. */
export type Passkey = {
  __typename?: 'Passkey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
};

/** How a builder's preview is viewed: as the page being edited says. */
export type PreviewViewingInput = {
  /** A preset (the page's default) or bounds. */
  range?: InputMaybe<DateRangeInput>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  weekStart?: InputMaybe<Weekday>;
};

/** A member (a person) or an agent (a program) of a workspace. API keys belong to principals. */
export type Principal = {
  __typename?: 'Principal';
  createdAt: Scalars['DateTime']['output'];
  /** What this principal may read. Null unless the viewer is an admin or this principal itself. */
  dataAccess?: Maybe<DataAccess>;
  /** The email a person signs in with (lower-cased). Null for agents and members created without one, and unless the viewer is an admin or this principal itself. */
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** When this person's open invitation expires; null when none is open (accepted, replaced or expired), and unless the viewer is an admin or this principal itself. */
  invitationExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  kind: PrincipalKind;
  name: Scalars['String']['output'];
  role: Role;
  workspace: Workspace;
};

export type PrincipalKind =
  | 'AGENT'
  | 'MEMBER';

export type Query = {
  __typename?: 'Query';
  apiKeys: Array<ApiKey>;
  /** The workspace's audit trail, newest first (admins). Kept PORTHOLE_AUDIT_RETENTION_DAYS (default 365). */
  auditEvents: AuditEventConnection;
  dataset?: Maybe<Dataset>;
  /** The workspace's datasets as the catalog knows them (names, types, counts; no values). */
  datasets: Array<Dataset>;
  /** The user's current embed token. */
  embedToken: EmbedToken;
  /** The most frequent values of a field (at most `limit`, default 20, up to 100), counted only over records the caller itself may read. */
  fieldValues: Array<Scalars['JSON']['output']>;
  /**
   * Why a credential would or would not open an embed, for the engineer wiring it (embeds answer the public
   * only "unavailable"). Page embed tokens, user embed tokens, dashboard sessions and API keys of the caller's
   * workspace that the caller may see are described; anything else is `UNKNOWN` with no detail. The token is
   * never logged.
   */
  inspectEmbedToken: TokenInspection;
  /** The viewer's passkeys, newest first. */
  myPasskeys: Array<Passkey>;
  /** The viewer's live console sessions, newest first. */
  mySessions: Array<ConsoleSession>;
  page: Page;
  /** The page's embeds, newest first. The console's own preview of the page is not among them. */
  pageEmbeds: Array<PageEmbed>;
  pages: Array<Page>;
  /**
   * Renders a widget that is not saved as an embed of its page would show it: in the page's zone, week start and
   * range (`viewing`; unset: UTC, MONDAY, all time), with its labels and formats, by a coarser bucket or cut where
   * the saved widget would be. Within the caller's own data access, as `previewWidget`.
   */
  previewEmbeddedWidget: EmbeddedWidget;
  /** Renders a widget that is not saved, within the caller's own data access (the same compiler and scope as an embed minted for oneself). */
  previewWidget: WidgetData;
  principals: Array<Principal>;
  /** What revoking this signing secret would stop (admins). */
  signingSecretImpact: SigningSecretImpact;
  signingSecrets: Array<SigningSecret>;
  /** The workspace's registered token issuers, newest first (admins). */
  tokenIssuers: Array<TokenIssuer>;
  user: User;
  users: UserConnection;
  /** Checks the workspace's audit hash chain, from the first event retention kept (admins). */
  verifyAuditChain: AuditChain;
  /** The principal the API key belongs to. */
  viewer: Principal;
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AuditFilterInput>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDatasetArgs = {
  name: Scalars['String']['input'];
};


export type QueryEmbedTokenArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryFieldValuesArgs = {
  dataset: Scalars['String']['input'];
  field: Scalars['String']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryInspectEmbedTokenArgs = {
  token: Scalars['String']['input'];
};


export type QueryPageArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPageEmbedsArgs = {
  pageId: Scalars['ID']['input'];
};


export type QueryPreviewEmbeddedWidgetArgs = {
  input: WidgetInput;
  viewing?: InputMaybe<PreviewViewingInput>;
};


export type QueryPreviewWidgetArgs = {
  input: WidgetInput;
};


export type QuerySigningSecretImpactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

export type Role =
  | 'ADMIN'
  | 'MEMBER';

/** Rows a widget shows of the rows its query matched: the first `shown` of `total`. */
export type RowsShown = {
  __typename?: 'RowsShown';
  shown: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

/** A field condition. `value` is always a literal (a string, number, boolean, date string or a list of them), never an operator. */
export type Rule = {
  __typename?: 'Rule';
  field: Scalars['String']['output'];
  op: RuleOp;
  value?: Maybe<Scalars['JSON']['output']>;
};

export type RuleInput = {
  field: Scalars['String']['input'];
  op: RuleOp;
  value?: InputMaybe<Scalars['JSON']['input']>;
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

export type SigningSecret = {
  __typename?: 'SigningSecret';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  /** The non-secret start of the secret, for recognising it. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** What revoking a signing secret would stop: its live embeds (neither revoked nor expired; console previews left out). */
export type SigningSecretImpact = {
  __typename?: 'SigningSecretImpact';
  /** How many of them any site may frame (no origins allowlist). */
  anySite: Scalars['Int']['output'];
  /** Live embeds signed with the secret. A self-minted token counts once it has been loaded (Porthole learns of it then). */
  liveEmbeds: Scalars['Int']['output'];
  /** The pages those embeds show, most embeds first. */
  pages: Array<SigningSecretImpactPage>;
  secret: SigningSecret;
  /** The sites allowed to frame them (origins), each once, sorted. */
  sites: Array<Scalars['String']['output']>;
};

export type SigningSecretImpactPage = {
  __typename?: 'SigningSecretImpactPage';
  liveEmbeds: Scalars['Int']['output'];
  pageId: Scalars['ID']['output'];
  /** Null when the page has been deleted (its embeds no longer open anyway). */
  title?: Maybe<Scalars['String']['output']>;
};

export type Sort = {
  __typename?: 'Sort';
  direction: SortDirection;
  field: Scalars['String']['output'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type SortInput = {
  direction?: InputMaybe<SortDirection>;
  field: Scalars['String']['input'];
};

/** How an embed looks: light unless the host, the token or the page asks for dark, or for the viewer's system setting (AUTO). */
export type Theme =
  | 'AUTO'
  | 'DARK'
  | 'LIGHT';

/** What `inspectEmbedToken` found. */
export type TokenInspection = {
  __typename?: 'TokenInspection';
  audience?: Maybe<Audience>;
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  kind: TokenKind;
  page?: Maybe<Page>;
  /** The page a page embed token opens (its id stays when the page was deleted). */
  pageId?: Maybe<Scalars['ID']['output']>;
  /** Null when valid (and for UNKNOWN, except MALFORMED for a string that is no token at all). */
  reason?: Maybe<TokenRefusalReason>;
  /** The user a user embed token or dashboard session belongs to. */
  user?: Maybe<User>;
  /** Whether it opens its embed now (a SELF or WORKSPACE page embed still needs its viewer signed in). */
  valid: Scalars['Boolean']['output'];
};

/**
 * A partner's own signer of page embed tokens (its identity provider, its signing service): Porthole
 * holds only its public keys. A token whose `iss` is `issuer` and whose header `kid` names one of its
 * keys verifies with that key, under the same claims and checks as a token signed with a signing secret.
 */
export type TokenIssuer = {
  __typename?: 'TokenIssuer';
  algorithms: Array<IssuerAlgorithm>;
  /** The exact `aud` its tokens carry. */
  audience: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The exact `iss` its tokens carry. */
  issuer: Scalars['String']['output'];
  /** Where its public keys are (a JWKS), or null when one PEM key was given. */
  jwksUrl?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  publicKeyPem?: Maybe<Scalars['String']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

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
  dashboard?: InputMaybe<Scalars['Boolean']['input']>;
  /** Set to null to remove the page's date range. */
  dateRange?: InputMaybe<DateRangeSettingsInput>;
  description?: InputMaybe<Scalars['String']['input']>;
  freshnessSeconds?: InputMaybe<Scalars['Int']['input']>;
  refreshSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Set to null for the default (LIGHT). */
  theme?: InputMaybe<Theme>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  weekStart?: InputMaybe<Weekday>;
  widgets?: InputMaybe<Array<WidgetInput>>;
};

/** Fields left out stay as they are. Changing role or data access narrows or widens every embed the principal minted or authored, on their next load. */
export type UpdatePrincipalInput = {
  dataAccess?: InputMaybe<DataAccessInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Role>;
};

/** Fields left out (or null) stay as they are. */
export type UpdateWorkspaceInput = {
  /** Origins such as https://partner.example (at most 20, duplicates dropped) that may frame user dashboards; [] lets any site frame them. */
  dashboardOrigins?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An end user of a partner: the tenant whose records a user dashboard shows. */
export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  email?: Maybe<Scalars['EmailAddress']['output']>;
  externalId: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  status: UserStatus;
};

export type UserConnection = {
  __typename?: 'UserConnection';
  /** Pass as `after` to read the next page; null on the last page. */
  nextCursor?: Maybe<Scalars['String']['output']>;
  nodes: Array<User>;
  totalCount: Scalars['Int']['output'];
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

export type Widget = {
  __typename?: 'Widget';
  /** Whether the embed tells its host page when a viewer activates a mark or row (`porthole:point-click`). */
  clickEvents: Scalars['Boolean']['output'];
  /** TABLE: formats for single columns (money in one, minutes in another). */
  columnFormats?: Maybe<Array<ColumnFormat>>;
  /** TABLE: one header per `select` field. */
  columnLabels?: Maybe<Array<Scalars['String']['output']>>;
  format?: Maybe<WidgetFormat>;
  id: Scalars['ID']['output'];
  kind: WidgetKind;
  /** The metric's name as viewers read it (default: derived from the metric, e.g. "Count"). */
  label?: Maybe<Scalars['String']['output']>;
  query: WidgetQuery;
  title: Scalars['String']['output'];
  /** How much of the page's row the widget's card takes (saved without one: THIRD for a NUMBER, FULL otherwise). */
  width: WidgetWidth;
};

/** Rows of a widget's result; each row has one cell per column. */
export type WidgetData = {
  __typename?: 'WidgetData';
  columns: Array<Scalars['String']['output']>;
  rows: Array<Array<Maybe<Scalars['JSON']['output']>>>;
};

/** How a widget's numbers are written; the viewer's locale does the rest. */
export type WidgetFormat = {
  __typename?: 'WidgetFormat';
  /** ISO 4217 code (EUR, USD), for CURRENCY. */
  currency?: Maybe<Scalars['String']['output']>;
  /** Digits after the decimal point, 0–6. */
  decimals?: Maybe<Scalars['Int']['output']>;
  style: FormatStyle;
  /** DURATION: what the value counts (millisecond, second, minute, hour; default second). NUMBER, COMPACT: a unit written after the number (minute, kilometer, percent…). */
  unit?: Maybe<Scalars['String']['output']>;
};

export type WidgetFormatInput = {
  currency?: InputMaybe<Scalars['String']['input']>;
  decimals?: InputMaybe<Scalars['Int']['input']>;
  style: FormatStyle;
  unit?: InputMaybe<Scalars['String']['input']>;
};

export type WidgetInput = {
  /** Send `porthole:point-click` to the host page when a viewer activates a mark or row (default false). */
  clickEvents?: InputMaybe<Scalars['Boolean']['input']>;
  /** TABLE only: at most one per column of the widget's data. */
  columnFormats?: InputMaybe<Array<ColumnFormatInput>>;
  columnLabels?: InputMaybe<Array<Scalars['String']['input']>>;
  format?: InputMaybe<WidgetFormatInput>;
  kind: WidgetKind;
  label?: InputMaybe<Scalars['String']['input']>;
  query: WidgetQueryInput;
  title: Scalars['String']['input'];
  /** How much of the page's row the widget's card takes. Default THIRD for a NUMBER, FULL otherwise. */
  width?: InputMaybe<WidgetWidth>;
};

export type WidgetKind =
  | 'BAR'
  | 'LINE'
  | 'NUMBER'
  | 'TABLE';

export type WidgetQuery = {
  __typename?: 'WidgetQuery';
  bucket?: Maybe<Bucket>;
  dataset: Scalars['String']['output'];
  filters: Array<Rule>;
  groupBy?: Maybe<Scalars['String']['output']>;
  limit?: Maybe<Scalars['Int']['output']>;
  metric?: Maybe<Metric>;
  select?: Maybe<Array<Scalars['String']['output']>>;
  seriesBy?: Maybe<Scalars['String']['output']>;
  sort?: Maybe<Sort>;
};

export type WidgetQueryInput = {
  /** Group rows by a time bucket of `at` (LINE, BAR). */
  bucket?: InputMaybe<Bucket>;
  dataset: Scalars['String']['input'];
  filters?: InputMaybe<Array<RuleInput>>;
  /** Group rows by this field's value (BAR, TABLE). */
  groupBy?: InputMaybe<Scalars['String']['input']>;
  /** At most 1000. */
  limit?: InputMaybe<Scalars['PositiveInt']['input']>;
  metric?: InputMaybe<MetricInput>;
  /** For TABLE widgets without a metric: the record fields to show. */
  select?: InputMaybe<Array<Scalars['String']['input']>>;
  /** BAR and LINE: a second dimension, one series per value of this field (stacked bars, several lines). */
  seriesBy?: InputMaybe<Scalars['String']['input']>;
  sort?: InputMaybe<SortInput>;
};

/** How much of a page's row a widget's card takes; on a narrow screen every card is full width. */
export type WidgetWidth =
  | 'FULL'
  | 'HALF'
  | 'THIRD';

export type Workspace = {
  __typename?: 'Workspace';
  /** The sites that may frame this workspace's user dashboards (`frame-ancestors` of /dashboard.html). Empty: any site may. */
  dashboardOrigins: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The longest lifetime a page embed token may have here, in seconds (PORTHOLE_MAX_EMBED_TTL_DAYS). */
  maxEmbedTtlSeconds: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  slug: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ApiKey: ResolverTypeWrapper<ApiKeyDoc>;
  Audience: Audience;
  AuditActor: ResolverTypeWrapper<AuditActor>;
  AuditChain: ResolverTypeWrapper<AuditChain>;
  AuditEvent: ResolverTypeWrapper<AuditEventDoc>;
  AuditEventConnection: ResolverTypeWrapper<Omit<AuditEventConnection, 'nodes'> & { nodes: Array<ResolversTypes['AuditEvent']> }>;
  AuditFilterInput: AuditFilterInput;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Bucket: Bucket;
  CoarserBucket: ResolverTypeWrapper<CoarserBucket>;
  ColumnFormat: ResolverTypeWrapper<ColumnFormat>;
  ColumnFormatInput: ColumnFormatInput;
  ConsoleSession: ResolverTypeWrapper<SessionSummary>;
  CreateApiKeyPayload: ResolverTypeWrapper<Omit<CreateApiKeyPayload, 'key'> & { key: ResolversTypes['ApiKey'] }>;
  CreatePageInput: CreatePageInput;
  CreatePrincipalInput: CreatePrincipalInput;
  CreatePrincipalPayload: ResolverTypeWrapper<Omit<CreatePrincipalPayload, 'invite' | 'principal'> & { invite?: Maybe<ResolversTypes['Invite']>, principal: ResolversTypes['Principal'] }>;
  CreateSigningSecretPayload: ResolverTypeWrapper<Omit<CreateSigningSecretPayload, 'secret'> & { secret: ResolversTypes['SigningSecret'] }>;
  CreateTokenIssuerInput: CreateTokenIssuerInput;
  CreateUserInput: CreateUserInput;
  CreateUserPayload: ResolverTypeWrapper<Omit<CreateUserPayload, 'user'> & { user: ResolversTypes['User'] }>;
  DataAccess: ResolverTypeWrapper<DataAccess>;
  DataAccessInput: DataAccessInput;
  Dataset: ResolverTypeWrapper<Dataset>;
  DatasetField: ResolverTypeWrapper<DatasetField>;
  DateRange: ResolverTypeWrapper<DateRange>;
  DateRangeInput: DateRangeInput;
  DateRangePreset: DateRangePreset;
  DateRangeSettings: ResolverTypeWrapper<DateRangeSettings>;
  DateRangeSettingsInput: DateRangeSettingsInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteRecordsPayload: ResolverTypeWrapper<DeleteRecordsPayload>;
  EmailAddress: ResolverTypeWrapper<Scalars['EmailAddress']['output']>;
  EmbedQuery: ResolverTypeWrapper<Omit<EmbedQuery, 'dashboard' | 'page'> & { dashboard: ResolversTypes['EmbeddedDashboard'], page: ResolversTypes['EmbeddedPage'] }>;
  EmbedSession: ResolverTypeWrapper<EmbedSession>;
  EmbedToken: ResolverTypeWrapper<EmbedToken>;
  EmbedViewerUsage: ResolverTypeWrapper<Omit<EmbedViewerUsage, 'principal'> & { principal?: Maybe<ResolversTypes['Principal']> }>;
  EmbeddedDashboard: ResolverTypeWrapper<Omit<EmbeddedDashboard, 'pages'> & { pages: Array<ResolversTypes['EmbeddedPage']> }>;
  EmbeddedPage: ResolverTypeWrapper<RenderedPage>;
  EmbeddedWidget: ResolverTypeWrapper<EmbeddedWidget>;
  ExportFormat: ExportFormat;
  ExportJob: ResolverTypeWrapper<ExportJob>;
  FieldType: FieldType;
  FormatStyle: FormatStyle;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  IngestPayload: ResolverTypeWrapper<IngestPayload>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Invite: ResolverTypeWrapper<IssuedInvitation>;
  IssuerAlgorithm: IssuerAlgorithm;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  JSONObject: ResolverTypeWrapper<Scalars['JSONObject']['output']>;
  Metric: ResolverTypeWrapper<Metric>;
  MetricFn: MetricFn;
  MetricInput: MetricInput;
  MintPageEmbedInput: MintPageEmbedInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Page: ResolverTypeWrapper<PageDoc>;
  PageAccessLevel: PageAccessLevel;
  PageEmbed: ResolverTypeWrapper<PageEmbedView>;
  PageEmbedToken: ResolverTypeWrapper<PageEmbedToken>;
  PageGrant: ResolverTypeWrapper<Omit<PageGrant, 'principal'> & { principal?: Maybe<ResolversTypes['Principal']> }>;
  PageGrantInput: PageGrantInput;
  PageRangeInput: PageRangeInput;
  PageSharing: PageSharing;
  PartialBuckets: ResolverTypeWrapper<PartialBuckets>;
  Passkey: ResolverTypeWrapper<PasskeyDoc>;
  PositiveInt: ResolverTypeWrapper<Scalars['PositiveInt']['output']>;
  PreviewViewingInput: PreviewViewingInput;
  Principal: ResolverTypeWrapper<PrincipalDoc>;
  PrincipalKind: PrincipalKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: Role;
  RowsShown: ResolverTypeWrapper<RowsShown>;
  Rule: ResolverTypeWrapper<Rule>;
  RuleInput: RuleInput;
  RuleOp: RuleOp;
  SignInMethod: SignInMethod;
  SigningSecret: ResolverTypeWrapper<SigningSecretDoc>;
  SigningSecretImpact: ResolverTypeWrapper<Omit<SigningSecretImpact, 'secret'> & { secret: ResolversTypes['SigningSecret'] }>;
  SigningSecretImpactPage: ResolverTypeWrapper<SigningSecretImpactPage>;
  Sort: ResolverTypeWrapper<Sort>;
  SortDirection: SortDirection;
  SortInput: SortInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Theme: Theme;
  TokenInspection: ResolverTypeWrapper<TokenInspectionResult>;
  TokenIssuer: ResolverTypeWrapper<TokenIssuerDoc>;
  TokenKind: TokenKind;
  TokenRefusalReason: TokenRefusalReason;
  URL: ResolverTypeWrapper<Scalars['URL']['output']>;
  UpdatePageInput: UpdatePageInput;
  UpdatePrincipalInput: UpdatePrincipalInput;
  UpdateWorkspaceInput: UpdateWorkspaceInput;
  User: ResolverTypeWrapper<UserDoc>;
  UserConnection: ResolverTypeWrapper<Omit<UserConnection, 'nodes'> & { nodes: Array<ResolversTypes['User']> }>;
  UserStatus: UserStatus;
  Weekday: Weekday;
  Widget: ResolverTypeWrapper<Widget>;
  WidgetData: ResolverTypeWrapper<WidgetData>;
  WidgetFormat: ResolverTypeWrapper<WidgetFormat>;
  WidgetFormatInput: WidgetFormatInput;
  WidgetInput: WidgetInput;
  WidgetKind: WidgetKind;
  WidgetQuery: ResolverTypeWrapper<WidgetQuery>;
  WidgetQueryInput: WidgetQueryInput;
  WidgetWidth: WidgetWidth;
  Workspace: ResolverTypeWrapper<WorkspaceDoc>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ApiKey: ApiKeyDoc;
  AuditActor: AuditActor;
  AuditChain: AuditChain;
  AuditEvent: AuditEventDoc;
  AuditEventConnection: Omit<AuditEventConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['AuditEvent']> };
  AuditFilterInput: AuditFilterInput;
  Boolean: Scalars['Boolean']['output'];
  CoarserBucket: CoarserBucket;
  ColumnFormat: ColumnFormat;
  ColumnFormatInput: ColumnFormatInput;
  ConsoleSession: SessionSummary;
  CreateApiKeyPayload: Omit<CreateApiKeyPayload, 'key'> & { key: ResolversParentTypes['ApiKey'] };
  CreatePageInput: CreatePageInput;
  CreatePrincipalInput: CreatePrincipalInput;
  CreatePrincipalPayload: Omit<CreatePrincipalPayload, 'invite' | 'principal'> & { invite?: Maybe<ResolversParentTypes['Invite']>, principal: ResolversParentTypes['Principal'] };
  CreateSigningSecretPayload: Omit<CreateSigningSecretPayload, 'secret'> & { secret: ResolversParentTypes['SigningSecret'] };
  CreateTokenIssuerInput: CreateTokenIssuerInput;
  CreateUserInput: CreateUserInput;
  CreateUserPayload: Omit<CreateUserPayload, 'user'> & { user: ResolversParentTypes['User'] };
  DataAccess: DataAccess;
  DataAccessInput: DataAccessInput;
  Dataset: Dataset;
  DatasetField: DatasetField;
  DateRange: DateRange;
  DateRangeInput: DateRangeInput;
  DateRangeSettings: DateRangeSettings;
  DateRangeSettingsInput: DateRangeSettingsInput;
  DateTime: Scalars['DateTime']['output'];
  DeleteRecordsPayload: DeleteRecordsPayload;
  EmailAddress: Scalars['EmailAddress']['output'];
  EmbedQuery: Omit<EmbedQuery, 'dashboard' | 'page'> & { dashboard: ResolversParentTypes['EmbeddedDashboard'], page: ResolversParentTypes['EmbeddedPage'] };
  EmbedSession: EmbedSession;
  EmbedToken: EmbedToken;
  EmbedViewerUsage: Omit<EmbedViewerUsage, 'principal'> & { principal?: Maybe<ResolversParentTypes['Principal']> };
  EmbeddedDashboard: Omit<EmbeddedDashboard, 'pages'> & { pages: Array<ResolversParentTypes['EmbeddedPage']> };
  EmbeddedPage: RenderedPage;
  EmbeddedWidget: EmbeddedWidget;
  ExportJob: ExportJob;
  ID: Scalars['ID']['output'];
  IngestPayload: IngestPayload;
  Int: Scalars['Int']['output'];
  Invite: IssuedInvitation;
  JSON: Scalars['JSON']['output'];
  JSONObject: Scalars['JSONObject']['output'];
  Metric: Metric;
  MetricInput: MetricInput;
  MintPageEmbedInput: MintPageEmbedInput;
  Mutation: Record<PropertyKey, never>;
  Page: PageDoc;
  PageEmbed: PageEmbedView;
  PageEmbedToken: PageEmbedToken;
  PageGrant: Omit<PageGrant, 'principal'> & { principal?: Maybe<ResolversParentTypes['Principal']> };
  PageGrantInput: PageGrantInput;
  PageRangeInput: PageRangeInput;
  PartialBuckets: PartialBuckets;
  Passkey: PasskeyDoc;
  PositiveInt: Scalars['PositiveInt']['output'];
  PreviewViewingInput: PreviewViewingInput;
  Principal: PrincipalDoc;
  Query: Record<PropertyKey, never>;
  RowsShown: RowsShown;
  Rule: Rule;
  RuleInput: RuleInput;
  SigningSecret: SigningSecretDoc;
  SigningSecretImpact: Omit<SigningSecretImpact, 'secret'> & { secret: ResolversParentTypes['SigningSecret'] };
  SigningSecretImpactPage: SigningSecretImpactPage;
  Sort: Sort;
  SortInput: SortInput;
  String: Scalars['String']['output'];
  TokenInspection: TokenInspectionResult;
  TokenIssuer: TokenIssuerDoc;
  URL: Scalars['URL']['output'];
  UpdatePageInput: UpdatePageInput;
  UpdatePrincipalInput: UpdatePrincipalInput;
  UpdateWorkspaceInput: UpdateWorkspaceInput;
  User: UserDoc;
  UserConnection: Omit<UserConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['User']> };
  Widget: Widget;
  WidgetData: WidgetData;
  WidgetFormat: WidgetFormat;
  WidgetFormatInput: WidgetFormatInput;
  WidgetInput: WidgetInput;
  WidgetQuery: WidgetQuery;
  WidgetQueryInput: WidgetQueryInput;
  Workspace: WorkspaceDoc;
}>;

export type ApiKeyResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type AuditActorResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditActor'] = ResolversParentTypes['AuditActor']> = ResolversObject<{
  addressDigest?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AuditChainResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditChain'] = ResolversParentTypes['AuditChain']> = ResolversObject<{
  events?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstBrokenAt?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AuditEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditEvent'] = ResolversParentTypes['AuditEvent']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['AuditActor'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  detail?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  hash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jti?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  origin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prevHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  targets?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
}>;

export type AuditEventConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditEventConnection'] = ResolversParentTypes['AuditEventConnection']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['AuditEvent']>, ParentType, ContextType>;
}>;

export type CoarserBucketResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CoarserBucket'] = ResolversParentTypes['CoarserBucket']> = ResolversObject<{
  buckets?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  maxPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ColumnFormatResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ColumnFormat'] = ResolversParentTypes['ColumnFormat']> = ResolversObject<{
  column?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  decimals?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  style?: Resolver<ResolversTypes['FormatStyle'], ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ConsoleSessionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ConsoleSession'] = ResolversParentTypes['ConsoleSession']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['SignInMethod'], ParentType, ContextType>;
}>;

export type CreateApiKeyPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreateApiKeyPayload'] = ResolversParentTypes['CreateApiKeyPayload']> = ResolversObject<{
  key?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  plaintext?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CreatePrincipalPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreatePrincipalPayload'] = ResolversParentTypes['CreatePrincipalPayload']> = ResolversObject<{
  apiKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  invite?: Resolver<Maybe<ResolversTypes['Invite']>, ParentType, ContextType>;
  principal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
}>;

export type CreateSigningSecretPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreateSigningSecretPayload'] = ResolversParentTypes['CreateSigningSecretPayload']> = ResolversObject<{
  plaintext?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['SigningSecret'], ParentType, ContextType>;
}>;

export type CreateUserPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CreateUserPayload'] = ResolversParentTypes['CreateUserPayload']> = ResolversObject<{
  embedToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type DataAccessResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DataAccess'] = ResolversParentTypes['DataAccess']> = ResolversObject<{
  all?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  owners?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  rules?: Resolver<Array<ResolversTypes['Rule']>, ParentType, ContextType>;
}>;

export type DatasetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset']> = ResolversObject<{
  fields?: Resolver<Array<ResolversTypes['DatasetField']>, ParentType, ContextType>;
  lastIngestedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastRecordAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recordCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type DatasetFieldResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DatasetField'] = ResolversParentTypes['DatasetField']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  types?: Resolver<Array<ResolversTypes['FieldType']>, ParentType, ContextType>;
}>;

export type DateRangeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DateRange'] = ResolversParentTypes['DateRange']> = ResolversObject<{
  from?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  preset?: Resolver<Maybe<ResolversTypes['DateRangePreset']>, ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type DateRangeSettingsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DateRangeSettings'] = ResolversParentTypes['DateRangeSettings']> = ResolversObject<{
  default?: Resolver<ResolversTypes['DateRangePreset'], ParentType, ContextType>;
  maxDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  presets?: Resolver<Array<ResolversTypes['DateRangePreset']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteRecordsPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeleteRecordsPayload'] = ResolversParentTypes['DeleteRecordsPayload']> = ResolversObject<{
  deleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface EmailAddressScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['EmailAddress'], any> {
  name: 'EmailAddress';
}

export type EmbedQueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbedQuery'] = ResolversParentTypes['EmbedQuery']> = ResolversObject<{
  dashboard?: Resolver<ResolversTypes['EmbeddedDashboard'], ParentType, ContextType, Partial<EmbedQueryDashboardArgs>>;
  exportWidget?: Resolver<ResolversTypes['ExportJob'], ParentType, ContextType, RequireFields<EmbedQueryExportWidgetArgs, 'format' | 'widgetId'>>;
  page?: Resolver<ResolversTypes['EmbeddedPage'], ParentType, ContextType, Partial<EmbedQueryPageArgs>>;
}>;

export type EmbedSessionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbedSession'] = ResolversParentTypes['EmbedSession']> = ResolversObject<{
  authToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type EmbedTokenResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbedToken'] = ResolversParentTypes['EmbedToken']> = ResolversObject<{
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EmbedViewerUsageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbedViewerUsage'] = ResolversParentTypes['EmbedViewerUsage']> = ResolversObject<{
  exports?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  loads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  viewer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EmbeddedDashboardResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbeddedDashboard'] = ResolversParentTypes['EmbeddedDashboard']> = ResolversObject<{
  pages?: Resolver<Array<ResolversTypes['EmbeddedPage']>, ParentType, ContextType>;
}>;

export type EmbeddedPageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbeddedPage'] = ResolversParentTypes['EmbeddedPage']> = ResolversObject<{
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  exports?: Resolver<Array<ResolversTypes['ExportFormat']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  locale?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  maxDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  presets?: Resolver<Array<ResolversTypes['DateRangePreset']>, ParentType, ContextType>;
  range?: Resolver<ResolversTypes['DateRange'], ParentType, ContextType>;
  rangeLocked?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  refreshSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  theme?: Resolver<ResolversTypes['Theme'], ParentType, ContextType>;
  timezone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  weekStart?: Resolver<ResolversTypes['Weekday'], ParentType, ContextType>;
  widgets?: Resolver<Array<ResolversTypes['EmbeddedWidget']>, ParentType, ContextType>;
}>;

export type EmbeddedWidgetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EmbeddedWidget'] = ResolversParentTypes['EmbeddedWidget']> = ResolversObject<{
  bucket?: Resolver<Maybe<ResolversTypes['Bucket']>, ParentType, ContextType>;
  bucketShown?: Resolver<Maybe<ResolversTypes['Bucket']>, ParentType, ContextType>;
  clickEvents?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  coarser?: Resolver<Maybe<ResolversTypes['CoarserBucket']>, ParentType, ContextType>;
  columnFormats?: Resolver<Maybe<Array<ResolversTypes['ColumnFormat']>>, ParentType, ContextType>;
  columnLabels?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  cut?: Resolver<Maybe<ResolversTypes['RowsShown']>, ParentType, ContextType>;
  data?: Resolver<ResolversTypes['WidgetData'], ParentType, ContextType>;
  format?: Resolver<Maybe<ResolversTypes['WidgetFormat']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['WidgetKind'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  partial?: Resolver<Maybe<ResolversTypes['PartialBuckets']>, ParentType, ContextType>;
  seriesBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['WidgetWidth'], ParentType, ContextType>;
}>;

export type ExportJobResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ExportJob'] = ResolversParentTypes['ExportJob']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ExportFormat'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['URL'], ParentType, ContextType>;
}>;

export type IngestPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['IngestPayload'] = ResolversParentTypes['IngestPayload']> = ResolversObject<{
  duplicates?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inserted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type InviteResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Invite'] = ResolversParentTypes['Invite']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['URL'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export interface JsonObjectScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSONObject'], any> {
  name: 'JSONObject';
}

export type MetricResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Metric'] = ResolversParentTypes['Metric']> = ResolversObject<{
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fn?: Resolver<ResolversTypes['MetricFn'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createApiKey?: Resolver<ResolversTypes['CreateApiKeyPayload'], ParentType, ContextType, Partial<MutationCreateApiKeyArgs>>;
  createInvite?: Resolver<ResolversTypes['Invite'], ParentType, ContextType, RequireFields<MutationCreateInviteArgs, 'principalId'>>;
  createPage?: Resolver<ResolversTypes['Page'], ParentType, ContextType, RequireFields<MutationCreatePageArgs, 'input'>>;
  createPrincipal?: Resolver<ResolversTypes['CreatePrincipalPayload'], ParentType, ContextType, RequireFields<MutationCreatePrincipalArgs, 'input'>>;
  createSigningSecret?: Resolver<ResolversTypes['CreateSigningSecretPayload'], ParentType, ContextType, Partial<MutationCreateSigningSecretArgs>>;
  createTokenIssuer?: Resolver<ResolversTypes['TokenIssuer'], ParentType, ContextType, RequireFields<MutationCreateTokenIssuerArgs, 'input'>>;
  createUser?: Resolver<ResolversTypes['CreateUserPayload'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'input'>>;
  deletePage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeletePageArgs, 'id'>>;
  deletePrincipal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeletePrincipalArgs, 'id'>>;
  deleteRecords?: Resolver<ResolversTypes['DeleteRecordsPayload'], ParentType, ContextType, RequireFields<MutationDeleteRecordsArgs, 'dataset' | 'owner'>>;
  deleteUser?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteUserArgs, 'eraseRecords' | 'id'>>;
  endPageEmbedPreview?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationEndPageEmbedPreviewArgs, 'pageId'>>;
  ingestRecords?: Resolver<ResolversTypes['IngestPayload'], ParentType, ContextType, RequireFields<MutationIngestRecordsArgs, 'dataset' | 'records'>>;
  mintPageEmbed?: Resolver<ResolversTypes['PageEmbedToken'], ParentType, ContextType, RequireFields<MutationMintPageEmbedArgs, 'input'>>;
  passkeyRegistrationOptions?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  previewPageEmbed?: Resolver<ResolversTypes['PageEmbedToken'], ParentType, ContextType, RequireFields<MutationPreviewPageEmbedArgs, 'pageId'>>;
  reactivateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationReactivateUserArgs, 'id'>>;
  regenerateEmbedToken?: Resolver<ResolversTypes['EmbedToken'], ParentType, ContextType, RequireFields<MutationRegenerateEmbedTokenArgs, 'userId'>>;
  registerPasskey?: Resolver<ResolversTypes['Passkey'], ParentType, ContextType, RequireFields<MutationRegisterPasskeyArgs, 'response'>>;
  removePasskey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemovePasskeyArgs, 'id'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  revokePageEmbed?: Resolver<ResolversTypes['PageEmbed'], ParentType, ContextType, RequireFields<MutationRevokePageEmbedArgs, 'id'>>;
  revokeSigningSecret?: Resolver<ResolversTypes['SigningSecret'], ParentType, ContextType, RequireFields<MutationRevokeSigningSecretArgs, 'id'>>;
  revokeTokenIssuer?: Resolver<ResolversTypes['TokenIssuer'], ParentType, ContextType, RequireFields<MutationRevokeTokenIssuerArgs, 'id'>>;
  setPageAccess?: Resolver<ResolversTypes['Page'], ParentType, ContextType, RequireFields<MutationSetPageAccessArgs, 'pageId'>>;
  signOutEverywhere?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  suspendUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationSuspendUserArgs, 'id'>>;
  updatePage?: Resolver<ResolversTypes['Page'], ParentType, ContextType, RequireFields<MutationUpdatePageArgs, 'id' | 'input'>>;
  updatePrincipal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType, RequireFields<MutationUpdatePrincipalArgs, 'id' | 'input'>>;
  updateWorkspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationUpdateWorkspaceArgs, 'input'>>;
  validateEmbedToken?: Resolver<ResolversTypes['EmbedSession'], ParentType, ContextType, RequireFields<MutationValidateEmbedTokenArgs, 'embedToken'>>;
}>;

export type PageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Page'] = ResolversParentTypes['Page']> = ResolversObject<{
  author?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  authorMissing?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dashboard?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  dateRange?: Resolver<Maybe<ResolversTypes['DateRangeSettings']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  freshnessSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  grants?: Resolver<Array<ResolversTypes['PageGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  problems?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  refreshSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sharing?: Resolver<ResolversTypes['PageSharing'], ParentType, ContextType>;
  theme?: Resolver<Maybe<ResolversTypes['Theme']>, ParentType, ContextType>;
  timezone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  viewerCanEdit?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  viewerCanManageAccess?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  weekStart?: Resolver<ResolversTypes['Weekday'], ParentType, ContextType>;
  widgets?: Resolver<Array<ResolversTypes['Widget']>, ParentType, ContextType>;
}>;

export type PageEmbedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageEmbed'] = ResolversParentTypes['PageEmbed']> = ResolversObject<{
  audience?: Resolver<ResolversTypes['Audience'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  exportCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  exports?: Resolver<Array<ResolversTypes['ExportFormat']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  loadCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  minter?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  minterName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  origins?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  pageId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  rules?: Resolver<Maybe<Array<ResolversTypes['Rule']>>, ParentType, ContextType>;
  selfMinted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  viewers?: Resolver<Array<ResolversTypes['EmbedViewerUsage']>, ParentType, ContextType>;
}>;

export type PageEmbedTokenResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageEmbedToken'] = ResolversParentTypes['PageEmbedToken']> = ResolversObject<{
  audience?: Resolver<ResolversTypes['Audience'], ParentType, ContextType>;
  embedUrl?: Resolver<ResolversTypes['URL'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  snippet?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageGrantResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageGrant'] = ResolversParentTypes['PageGrant']> = ResolversObject<{
  level?: Resolver<ResolversTypes['PageAccessLevel'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type PartialBucketsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PartialBuckets'] = ResolversParentTypes['PartialBuckets']> = ResolversObject<{
  first?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  last?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PasskeyResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Passkey'] = ResolversParentTypes['Passkey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface PositiveIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['PositiveInt'], any> {
  name: 'PositiveInt';
}

export type PrincipalResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Principal'] = ResolversParentTypes['Principal']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataAccess?: Resolver<Maybe<ResolversTypes['DataAccess']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitationExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['PrincipalKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  workspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  auditEvents?: Resolver<ResolversTypes['AuditEventConnection'], ParentType, ContextType, RequireFields<QueryAuditEventsArgs, 'first'>>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetArgs, 'name'>>;
  datasets?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType>;
  embedToken?: Resolver<ResolversTypes['EmbedToken'], ParentType, ContextType, RequireFields<QueryEmbedTokenArgs, 'userId'>>;
  fieldValues?: Resolver<Array<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<QueryFieldValuesArgs, 'dataset' | 'field'>>;
  inspectEmbedToken?: Resolver<ResolversTypes['TokenInspection'], ParentType, ContextType, RequireFields<QueryInspectEmbedTokenArgs, 'token'>>;
  myPasskeys?: Resolver<Array<ResolversTypes['Passkey']>, ParentType, ContextType>;
  mySessions?: Resolver<Array<ResolversTypes['ConsoleSession']>, ParentType, ContextType>;
  page?: Resolver<ResolversTypes['Page'], ParentType, ContextType, RequireFields<QueryPageArgs, 'id'>>;
  pageEmbeds?: Resolver<Array<ResolversTypes['PageEmbed']>, ParentType, ContextType, RequireFields<QueryPageEmbedsArgs, 'pageId'>>;
  pages?: Resolver<Array<ResolversTypes['Page']>, ParentType, ContextType>;
  previewEmbeddedWidget?: Resolver<ResolversTypes['EmbeddedWidget'], ParentType, ContextType, RequireFields<QueryPreviewEmbeddedWidgetArgs, 'input'>>;
  previewWidget?: Resolver<ResolversTypes['WidgetData'], ParentType, ContextType, RequireFields<QueryPreviewWidgetArgs, 'input'>>;
  principals?: Resolver<Array<ResolversTypes['Principal']>, ParentType, ContextType>;
  signingSecretImpact?: Resolver<ResolversTypes['SigningSecretImpact'], ParentType, ContextType, RequireFields<QuerySigningSecretImpactArgs, 'id'>>;
  signingSecrets?: Resolver<Array<ResolversTypes['SigningSecret']>, ParentType, ContextType>;
  tokenIssuers?: Resolver<Array<ResolversTypes['TokenIssuer']>, ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  users?: Resolver<ResolversTypes['UserConnection'], ParentType, ContextType, RequireFields<QueryUsersArgs, 'first'>>;
  verifyAuditChain?: Resolver<ResolversTypes['AuditChain'], ParentType, ContextType>;
  viewer?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
}>;

export type RowsShownResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RowsShown'] = ResolversParentTypes['RowsShown']> = ResolversObject<{
  shown?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RuleResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Rule'] = ResolversParentTypes['Rule']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  op?: Resolver<ResolversTypes['RuleOp'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
}>;

export type SigningSecretResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SigningSecret'] = ResolversParentTypes['SigningSecret']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type SigningSecretImpactResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SigningSecretImpact'] = ResolversParentTypes['SigningSecretImpact']> = ResolversObject<{
  anySite?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  liveEmbeds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pages?: Resolver<Array<ResolversTypes['SigningSecretImpactPage']>, ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['SigningSecret'], ParentType, ContextType>;
  sites?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SigningSecretImpactPageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SigningSecretImpactPage'] = ResolversParentTypes['SigningSecretImpactPage']> = ResolversObject<{
  liveEmbeds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pageId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SortResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Sort'] = ResolversParentTypes['Sort']> = ResolversObject<{
  direction?: Resolver<ResolversTypes['SortDirection'], ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TokenInspectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TokenInspection'] = ResolversParentTypes['TokenInspection']> = ResolversObject<{
  audience?: Resolver<Maybe<ResolversTypes['Audience']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TokenKind'], ParentType, ContextType>;
  page?: Resolver<Maybe<ResolversTypes['Page']>, ParentType, ContextType>;
  pageId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['TokenRefusalReason']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  valid?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type TokenIssuerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TokenIssuer'] = ResolversParentTypes['TokenIssuer']> = ResolversObject<{
  algorithms?: Resolver<Array<ResolversTypes['IssuerAlgorithm']>, ParentType, ContextType>;
  audience?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  jwksUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  publicKeyPem?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export interface UrlScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['URL'], any> {
  name: 'URL';
}

export type UserResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['EmailAddress']>, ParentType, ContextType>;
  externalId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['UserStatus'], ParentType, ContextType>;
}>;

export type UserConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UserConnection'] = ResolversParentTypes['UserConnection']> = ResolversObject<{
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type WidgetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Widget'] = ResolversParentTypes['Widget']> = ResolversObject<{
  clickEvents?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  columnFormats?: Resolver<Maybe<Array<ResolversTypes['ColumnFormat']>>, ParentType, ContextType>;
  columnLabels?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  format?: Resolver<Maybe<ResolversTypes['WidgetFormat']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['WidgetKind'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  query?: Resolver<ResolversTypes['WidgetQuery'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['WidgetWidth'], ParentType, ContextType>;
}>;

export type WidgetDataResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WidgetData'] = ResolversParentTypes['WidgetData']> = ResolversObject<{
  columns?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  rows?: Resolver<Array<Array<Maybe<ResolversTypes['JSON']>>>, ParentType, ContextType>;
}>;

export type WidgetFormatResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WidgetFormat'] = ResolversParentTypes['WidgetFormat']> = ResolversObject<{
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  decimals?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  style?: Resolver<ResolversTypes['FormatStyle'], ParentType, ContextType>;
  unit?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WidgetQueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WidgetQuery'] = ResolversParentTypes['WidgetQuery']> = ResolversObject<{
  bucket?: Resolver<Maybe<ResolversTypes['Bucket']>, ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  filters?: Resolver<Array<ResolversTypes['Rule']>, ParentType, ContextType>;
  groupBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  limit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  metric?: Resolver<Maybe<ResolversTypes['Metric']>, ParentType, ContextType>;
  select?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  seriesBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sort?: Resolver<Maybe<ResolversTypes['Sort']>, ParentType, ContextType>;
}>;

export type WorkspaceResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Workspace'] = ResolversParentTypes['Workspace']> = ResolversObject<{
  dashboardOrigins?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maxEmbedTtlSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = GraphQLContext> = ResolversObject<{
  ApiKey?: ApiKeyResolvers<ContextType>;
  AuditActor?: AuditActorResolvers<ContextType>;
  AuditChain?: AuditChainResolvers<ContextType>;
  AuditEvent?: AuditEventResolvers<ContextType>;
  AuditEventConnection?: AuditEventConnectionResolvers<ContextType>;
  CoarserBucket?: CoarserBucketResolvers<ContextType>;
  ColumnFormat?: ColumnFormatResolvers<ContextType>;
  ConsoleSession?: ConsoleSessionResolvers<ContextType>;
  CreateApiKeyPayload?: CreateApiKeyPayloadResolvers<ContextType>;
  CreatePrincipalPayload?: CreatePrincipalPayloadResolvers<ContextType>;
  CreateSigningSecretPayload?: CreateSigningSecretPayloadResolvers<ContextType>;
  CreateUserPayload?: CreateUserPayloadResolvers<ContextType>;
  DataAccess?: DataAccessResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DatasetField?: DatasetFieldResolvers<ContextType>;
  DateRange?: DateRangeResolvers<ContextType>;
  DateRangeSettings?: DateRangeSettingsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteRecordsPayload?: DeleteRecordsPayloadResolvers<ContextType>;
  EmailAddress?: GraphQLScalarType;
  EmbedQuery?: EmbedQueryResolvers<ContextType>;
  EmbedSession?: EmbedSessionResolvers<ContextType>;
  EmbedToken?: EmbedTokenResolvers<ContextType>;
  EmbedViewerUsage?: EmbedViewerUsageResolvers<ContextType>;
  EmbeddedDashboard?: EmbeddedDashboardResolvers<ContextType>;
  EmbeddedPage?: EmbeddedPageResolvers<ContextType>;
  EmbeddedWidget?: EmbeddedWidgetResolvers<ContextType>;
  ExportJob?: ExportJobResolvers<ContextType>;
  IngestPayload?: IngestPayloadResolvers<ContextType>;
  Invite?: InviteResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  JSONObject?: GraphQLScalarType;
  Metric?: MetricResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Page?: PageResolvers<ContextType>;
  PageEmbed?: PageEmbedResolvers<ContextType>;
  PageEmbedToken?: PageEmbedTokenResolvers<ContextType>;
  PageGrant?: PageGrantResolvers<ContextType>;
  PartialBuckets?: PartialBucketsResolvers<ContextType>;
  Passkey?: PasskeyResolvers<ContextType>;
  PositiveInt?: GraphQLScalarType;
  Principal?: PrincipalResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RowsShown?: RowsShownResolvers<ContextType>;
  Rule?: RuleResolvers<ContextType>;
  SigningSecret?: SigningSecretResolvers<ContextType>;
  SigningSecretImpact?: SigningSecretImpactResolvers<ContextType>;
  SigningSecretImpactPage?: SigningSecretImpactPageResolvers<ContextType>;
  Sort?: SortResolvers<ContextType>;
  TokenInspection?: TokenInspectionResolvers<ContextType>;
  TokenIssuer?: TokenIssuerResolvers<ContextType>;
  URL?: GraphQLScalarType;
  User?: UserResolvers<ContextType>;
  UserConnection?: UserConnectionResolvers<ContextType>;
  Widget?: WidgetResolvers<ContextType>;
  WidgetData?: WidgetDataResolvers<ContextType>;
  WidgetFormat?: WidgetFormatResolvers<ContextType>;
  WidgetQuery?: WidgetQueryResolvers<ContextType>;
  Workspace?: WorkspaceResolvers<ContextType>;
}>;

