/**
 * Default-deny: every root field of `Query` and `Mutation` says who may call it.
 * The schema builder refuses to start when a field is missing here, and a test checks it.
 *
 * - `public`: no API key needed (the field does its own credential check).
 * - `authenticated`: any principal of the workspace (API key or console session). Who may do
 *   what beyond that is decided by the services, which ask `server/src/policies/`.
 */
export type Access = 'public' | 'authenticated';

export const rootFieldAccess: Record<'Query' | 'Mutation', Record<string, Access>> = {
  Query: {
    viewer: 'authenticated',
    principals: 'authenticated',
    apiKeys: 'authenticated',
    mySessions: 'authenticated',
    myPasskeys: 'authenticated',
    user: 'authenticated',
    users: 'authenticated',
    embedToken: 'authenticated',
    page: 'authenticated',
    pages: 'authenticated',
    signingSecrets: 'authenticated',
    signingSecretImpact: 'authenticated',
    tokenIssuers: 'authenticated',
    pageEmbeds: 'authenticated',
    datasets: 'authenticated',
    dataset: 'authenticated',
    fieldValues: 'authenticated',
    previewWidget: 'authenticated',
    previewEmbeddedWidget: 'authenticated',
    auditEvents: 'authenticated',
    verifyAuditChain: 'authenticated',
    inspectEmbedToken: 'authenticated',
  },
  Mutation: {
    validateEmbedToken: 'public',
    createPrincipal: 'authenticated',
    updatePrincipal: 'authenticated',
    deletePrincipal: 'authenticated',
    createApiKey: 'authenticated',
    revokeApiKey: 'authenticated',
    createInvite: 'authenticated',
    passkeyRegistrationOptions: 'authenticated',
    registerPasskey: 'authenticated',
    removePasskey: 'authenticated',
    signOutEverywhere: 'authenticated',
    createUser: 'authenticated',
    regenerateEmbedToken: 'authenticated',
    suspendUser: 'authenticated',
    reactivateUser: 'authenticated',
    deleteUser: 'authenticated',
    ingestRecords: 'authenticated',
    deleteRecords: 'authenticated',
    createPage: 'authenticated',
    updatePage: 'authenticated',
    deletePage: 'authenticated',
    setPageAccess: 'authenticated',
    createSigningSecret: 'authenticated',
    revokeSigningSecret: 'authenticated',
    createTokenIssuer: 'authenticated',
    revokeTokenIssuer: 'authenticated',
    mintPageEmbed: 'authenticated',
    previewPageEmbed: 'authenticated',
    endPageEmbedPreview: 'authenticated',
    revokePageEmbed: 'authenticated',
    updateWorkspace: 'authenticated',
  },
};
