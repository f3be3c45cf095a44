/**
 * Default-deny: every root field of `Query` and `Mutation` says who may call it.
 * The schema builder refuses to start when a field is missing here, and a test checks it.
 *
 * - `public`: no API key needed (the field does its own credential check).
 * - `member`: any authenticated principal of the workspace; services narrow further.
 * - `admin`: principals with role ADMIN only.
 */
export type Access = 'public' | 'member' | 'admin';

export const rootFieldAccess: Record<'Query' | 'Mutation', Record<string, Access>> = {
  Query: {
    viewer: 'member',
    principals: 'member',
    apiKeys: 'member',
    user: 'member',
    users: 'member',
    embedToken: 'member',
    page: 'member',
    pages: 'member',
    signingSecrets: 'admin',
    pageEmbeds: 'member',
    datasets: 'member',
    dataset: 'member',
    fieldValues: 'member',
    previewWidget: 'member',
  },
  Mutation: {
    validateEmbedToken: 'public',
    createPrincipal: 'admin',
    deletePrincipal: 'admin',
    createApiKey: 'member',
    revokeApiKey: 'member',
    createUser: 'member',
    regenerateEmbedToken: 'member',
    suspendUser: 'member',
    reactivateUser: 'member',
    deleteUser: 'member',
    ingestRecords: 'member',
    createPage: 'member',
    updatePage: 'member',
    deletePage: 'member',
    createSigningSecret: 'admin',
    revokeSigningSecret: 'admin',
    mintPageEmbed: 'member',
    previewPageEmbed: 'member',
    endPageEmbedPreview: 'member',
    revokePageEmbed: 'member',
  },
};
