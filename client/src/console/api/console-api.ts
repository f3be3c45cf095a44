import {
  ConsoleCreateInviteDocument,
  ConsolePasskeyRegistrationOptionsDocument,
  ConsoleRegisterPasskeyDocument,
  ConsoleRemovePasskeyDocument,
  ConsoleSecurityDocument,
  ConsoleSignOutEverywhereDocument,
  type ConsoleSecurityQuery,
  ConsoleCreatePrincipalDocument,
  ConsoleDeletePrincipalDocument,
  ConsolePrincipalsDocument,
  ConsoleSetPageAccessDocument,
  ConsoleUpdatePrincipalDocument,
  type PrincipalFieldsFragment,
  type PageGrantInput,
  type PageSharing,
  type CreatePrincipalInput,
  type UpdatePrincipalInput,
  ConsoleCreateUserDocument,
  ConsoleCreatePageDocument,
  ConsoleDatasetsDocument,
  ConsoleInspectEmbedTokenDocument,
  type ConsoleInspectEmbedTokenQuery,
  ConsoleDeletePageDocument,
  ConsoleEndPageEmbedPreviewDocument,
  ConsoleFieldValuesDocument,
  ConsolePageDefinitionDocument,
  ConsolePreviewPageEmbedDocument,
  ConsolePreviewEmbeddedWidgetDocument,
  type PreviewViewingInput,
  ConsoleUpdatePageDocument,
  type ConsoleDatasetsQuery,
  type CreatePageInput,
  type PageDefinitionFieldsFragment,
  type UpdatePageInput,
  type WidgetInput,
  ConsoleApiKeysDocument,
  ConsoleCreateApiKeyDocument,
  ConsoleCreateSigningSecretDocument,
  ConsoleEmbedTokenDocument,
  ConsoleMintPageEmbedDocument,
  ConsolePageDocument,
  ConsolePageEmbedsDocument,
  ConsolePagesDocument,
  ConsoleReactivateUserDocument,
  ConsoleRegenerateEmbedTokenDocument,
  ConsoleRevokeApiKeyDocument,
  ConsoleRevokePageEmbedDocument,
  ConsoleRevokeSigningSecretDocument,
  ConsoleSigningSecretsDocument,
  ConsoleSigningSecretImpactDocument,
  type ConsoleSigningSecretImpactQuery,
  ConsoleSuspendUserDocument,
  ConsoleUsersDocument,
  ConsoleViewerDocument,
  type ApiKeyFieldsFragment,
  type ConsolePageQuery,
  type ConsolePagesQuery,
  type ConsoleUsersQuery,
  type MintPageEmbedInput,
  type AuditFilterInput,
  type ConsoleAuditEventsQuery,
  type ConsoleVerifyAuditChainQuery,
  ConsoleAuditEventsDocument,
  ConsoleVerifyAuditChainDocument,
  type PageEmbedFieldsFragment,
  type SigningSecretFieldsFragment,
  type UserFieldsFragment,
  type ViewerFieldsFragment,
} from '../../generated/operations';
import type { EmbeddedWidget } from '../../api/operations';
import { gql } from './graphql-client';

/** Typed calls for everything the console does; state classes call these, components never do. */

export type Viewer = ViewerFieldsFragment;
export type PageSummary = ConsolePagesQuery['pages'][number];
export type PageDetails = ConsolePageQuery['page'];
export type PageEmbed = PageEmbedFieldsFragment;
export type SigningSecret = SigningSecretFieldsFragment;
export type ApiKey = ApiKeyFieldsFragment;
export type EndUser = UserFieldsFragment;
export type UserPage = ConsoleUsersQuery['users'];
export type PageDefinition = PageDefinitionFieldsFragment;
export type Member = PrincipalFieldsFragment;
export type {
  PageGrantInput,
  PageSharing,
  PageAccessLevel,
  PrincipalKind,
  Role,
  DateRangePreset,
  Weekday,
  FormatStyle,
  Theme,
} from '../../generated/operations';
export type Dataset = ConsoleDatasetsQuery['datasets'][number];
export type TokenInspection = ConsoleInspectEmbedTokenQuery['inspectEmbedToken'];
export type DatasetField = Dataset['fields'][number];
/** A widget as its page's embed shows it (the embed's EmbeddedWidget). */
export type PreviewedWidget = EmbeddedWidget;
export type { PreviewViewingInput };
export type {
  Audience,
  Bucket,
  FieldType,
  MetricFn,
  RuleInput,
  RuleOp,
  SortDirection,
  WidgetInput,
  WidgetKind,
  WidgetWidth,
  CreatePageInput,
} from '../../generated/operations';

export interface MintedEmbed {
  id: string;
  token: string;
  expiresAt: string;
  embedUrl: string;
  snippet: string;
  audience: PageEmbed['audience'];
}

export const fetchViewer = async (signal?: AbortSignal): Promise<Viewer> => (await gql(ConsoleViewerDocument, {}, signal)).viewer;
export const listPages = async (signal?: AbortSignal): Promise<PageSummary[]> => (await gql(ConsolePagesDocument, {}, signal)).pages;
export const fetchPage = async (id: string, signal?: AbortSignal): Promise<PageDetails> => (await gql(ConsolePageDocument, { id }, signal)).page;

export const listPageEmbeds = async (pageId: string, signal?: AbortSignal): Promise<PageEmbed[]> =>
  (await gql(ConsolePageEmbedsDocument, { pageId }, signal)).pageEmbeds;

export type AuditEvent = ConsoleAuditEventsQuery['auditEvents']['nodes'][number];
export type AuditChain = ConsoleVerifyAuditChainQuery['verifyAuditChain'];
export type { AuditFilterInput, ExportFormat } from '../../generated/operations';

/** A page of the audit trail, newest first (admins). */
export const fetchAuditEvents = async (filter: AuditFilterInput, after: string | null, signal?: AbortSignal) =>
  (await gql(ConsoleAuditEventsDocument, { filter, first: 50, after }, signal)).auditEvents;
export const verifyAuditChain = async (): Promise<AuditChain> => (await gql(ConsoleVerifyAuditChainDocument, {})).verifyAuditChain;

export async function mintPageEmbed(input: MintPageEmbedInput): Promise<MintedEmbed> {
  const minted = (await gql(ConsoleMintPageEmbedDocument, { input })).mintPageEmbed;
  // The URL scalar arrives as a string; codegen types unknown scalars as `unknown`.
  return { ...minted, embedUrl: String(minted.embedUrl) };
}

export async function previewPageEmbed(pageId: string): Promise<MintedEmbed> {
  const minted = (await gql(ConsolePreviewPageEmbedDocument, { pageId })).previewPageEmbed;
  return { ...minted, embedUrl: String(minted.embedUrl) };
}
export const endPageEmbedPreview = async (pageId: string): Promise<boolean> => (await gql(ConsoleEndPageEmbedPreviewDocument, { pageId })).endPageEmbedPreview;

export const fetchPageDefinition = async (id: string, signal?: AbortSignal): Promise<PageDefinition> =>
  (await gql(ConsolePageDefinitionDocument, { id }, signal)).page;
export const createPage = async (input: CreatePageInput): Promise<PageDefinition> => (await gql(ConsoleCreatePageDocument, { input })).createPage;
export const updatePage = async (id: string, input: UpdatePageInput): Promise<PageDefinition> =>
  (await gql(ConsoleUpdatePageDocument, { id, input })).updatePage;
export const deletePage = async (id: string): Promise<boolean> => (await gql(ConsoleDeletePageDocument, { id })).deletePage;

export const setPageAccess = async (pageId: string, sharing: PageSharing, grants: PageGrantInput[]): Promise<PageDefinition> =>
  (await gql(ConsoleSetPageAccessDocument, { pageId, sharing, grants })).setPageAccess;

export const listMembers = async (signal?: AbortSignal): Promise<Member[]> => (await gql(ConsolePrincipalsDocument, {}, signal)).principals;
/** A new principal with its one-time credential: an API key, or (a person created by email) an invitation link. */
export interface CreatedMember {
  principal: Member;
  apiKey: string | null;
  invite: Invite | null;
}
export interface Invite {
  url: string;
  expiresAt: string;
}
export async function createMember(input: CreatePrincipalInput): Promise<CreatedMember> {
  const created = (await gql(ConsoleCreatePrincipalDocument, { input })).createPrincipal;
  // The URL scalar arrives as a string; codegen types unknown scalars as `unknown`.
  return { ...created, invite: created.invite ? { url: String(created.invite.url), expiresAt: created.invite.expiresAt } : null };
}
export async function createInvite(principalId: string): Promise<Invite> {
  const invite = (await gql(ConsoleCreateInviteDocument, { principalId })).createInvite;
  return { url: String(invite.url), expiresAt: invite.expiresAt };
}

export type ConsoleSessionInfo = ConsoleSecurityQuery['mySessions'][number];
export type Passkey = ConsoleSecurityQuery['myPasskeys'][number];
export const fetchSecurity = async (signal?: AbortSignal): Promise<ConsoleSecurityQuery> => gql(ConsoleSecurityDocument, {}, signal);
export const passkeyRegistrationOptions = async (): Promise<Record<string, unknown>> =>
  (await gql(ConsolePasskeyRegistrationOptionsDocument, {})).passkeyRegistrationOptions as Record<string, unknown>;
export const registerPasskey = async (name: string | null, response: Record<string, unknown>): Promise<Passkey> =>
  (await gql(ConsoleRegisterPasskeyDocument, { name, response })).registerPasskey;
export const removePasskey = async (id: string): Promise<boolean> => (await gql(ConsoleRemovePasskeyDocument, { id })).removePasskey;
export const signOutEverywhere = async (): Promise<number> => (await gql(ConsoleSignOutEverywhereDocument, {})).signOutEverywhere;
export const updateMember = async (id: string, input: UpdatePrincipalInput): Promise<Member> =>
  (await gql(ConsoleUpdatePrincipalDocument, { id, input })).updatePrincipal;
export const deleteMember = async (id: string): Promise<boolean> => (await gql(ConsoleDeletePrincipalDocument, { id })).deletePrincipal;

export const inspectEmbedToken = async (token: string, signal?: AbortSignal): Promise<TokenInspection> =>
  (await gql(ConsoleInspectEmbedTokenDocument, { token }, signal)).inspectEmbedToken;
export const listDatasets = async (signal?: AbortSignal): Promise<Dataset[]> => (await gql(ConsoleDatasetsDocument, {}, signal)).datasets;
export const fetchFieldValues = async (dataset: string, field: string, signal?: AbortSignal): Promise<unknown[]> =>
  (await gql(ConsoleFieldValuesDocument, { dataset, field, limit: 20 }, signal)).fieldValues;
/** An unsaved widget rendered as the page's embed would show it, in the page's zone, week start and range (`viewing`). */
export async function previewWidget(input: WidgetInput, viewing: PreviewViewingInput, signal?: AbortSignal): Promise<PreviewedWidget> {
  return (await gql(ConsolePreviewEmbeddedWidgetDocument, { input, viewing }, signal)).previewEmbeddedWidget;
}

export const revokePageEmbed = async (id: string): Promise<PageEmbed> => (await gql(ConsoleRevokePageEmbedDocument, { id })).revokePageEmbed;

export const listSigningSecrets = async (signal?: AbortSignal): Promise<SigningSecret[]> =>
  (await gql(ConsoleSigningSecretsDocument, {}, signal)).signingSecrets;
export const createSigningSecret = async (name: string | null): Promise<{ secret: SigningSecret; plaintext: string }> =>
  (await gql(ConsoleCreateSigningSecretDocument, { name })).createSigningSecret;
export type SigningSecretImpact = ConsoleSigningSecretImpactQuery['signingSecretImpact'];
export const fetchSigningSecretImpact = async (id: string, signal?: AbortSignal): Promise<SigningSecretImpact> =>
  (await gql(ConsoleSigningSecretImpactDocument, { id }, signal)).signingSecretImpact;
export const revokeSigningSecret = async (id: string): Promise<SigningSecret> => (await gql(ConsoleRevokeSigningSecretDocument, { id })).revokeSigningSecret;

export const listUsers = async (search: string, after: string | null, signal?: AbortSignal): Promise<UserPage> =>
  (await gql(ConsoleUsersDocument, { first: 25, after, search: search || null }, signal)).users;
export const createUser = async (input: { externalId: string; email: string | null; name: string | null }): Promise<EndUser> =>
  (await gql(ConsoleCreateUserDocument, { input })).createUser.user;
/** Where a user's own dashboard opens, with their embed token (what the partner's site would frame). */
export const dashboardUrl = (embedToken: string): string => `/dashboard.html?token=${encodeURIComponent(embedToken)}`;
export const fetchEmbedToken = async (userId: string): Promise<string> => (await gql(ConsoleEmbedTokenDocument, { userId })).embedToken.token;
export const regenerateEmbedToken = async (userId: string): Promise<string> =>
  (await gql(ConsoleRegenerateEmbedTokenDocument, { userId })).regenerateEmbedToken.token;
export const suspendUser = async (id: string): Promise<EndUser> => (await gql(ConsoleSuspendUserDocument, { id })).suspendUser;
export const reactivateUser = async (id: string): Promise<EndUser> => (await gql(ConsoleReactivateUserDocument, { id })).reactivateUser;

export const listApiKeys = async (signal?: AbortSignal): Promise<ApiKey[]> => (await gql(ConsoleApiKeysDocument, {}, signal)).apiKeys;
export const createApiKey = async (name: string | null): Promise<{ key: ApiKey; plaintext: string }> =>
  (await gql(ConsoleCreateApiKeyDocument, { name })).createApiKey;
export const revokeApiKey = async (id: string): Promise<ApiKey> => (await gql(ConsoleRevokeApiKeyDocument, { id })).revokeApiKey;
