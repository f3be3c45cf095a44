import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Generated files are never edited by hand; `npm run codegen:check` (run by CI) fails when they are stale.
 * Server: resolver signatures bound to domain types through mappers.
 * Client: typed documents for the operations the Svelte client sends.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  overwrite: true,
  generates: {
    'server/src/graphql/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        useIndexSignature: true,
        enumsAsTypes: true,
        contextType: '../context.js#GraphQLContext',
        defaultScalarType: 'unknown',
        scalars: {
          DateTime: 'Date',
          EmailAddress: 'string',
          JSONObject: 'Record<string, unknown>',
          JSON: 'unknown',
          URL: 'string',
          PositiveInt: 'number',
          ID: 'string',
        },
        mappers: {
          Principal: '../../domain/types.js#PrincipalDoc',
          ApiKey: '../../domain/types.js#ApiKeyDoc',
          User: '../../domain/types.js#UserDoc',
          Page: '../../domain/types.js#PageDoc',
          Workspace: '../../domain/types.js#WorkspaceDoc',
          SigningSecret: '../../domain/types.js#SigningSecretDoc',
          TokenIssuer: '../../domain/types.js#TokenIssuerDoc',
          // Rules, origins and label are null for viewers who may not read them (embeds/embed-details.ts).
          PageEmbed: '../../embeds/embed-details.js#PageEmbedView',
          Passkey: '../../domain/types.js#PasskeyDoc',
          ConsoleSession: '../../console/console-sessions.service.js#SessionSummary',
          Invite: '../../people/invitations.service.js#IssuedInvitation',
          AuditEvent: '../../domain/types.js#AuditEventDoc',
          // `exports` comes from the token (context), not the render.
          EmbeddedPage: '../../embeds/renderer.js#EmbeddedPage as RenderedPage',
          TokenInspection: '../../embeds/token-inspection.service.js#TokenInspectionResult',
        },
      },
    },
    // Client: typed document strings (no GraphQL runtime in the bundle) for client/src/**/*.graphql.
    // typescript-operations 6 emits the enums and scalars the operations use, so no `typescript` plugin.
    'client/src/generated/operations.ts': {
      documents: 'client/src/**/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        // Marks each document constant pure, so a bundle keeps only the operations it imports.
        pureMagicComment: true,
        defaultScalarType: 'unknown',
        scalars: {
          DateTime: 'string',
          JSON: 'string | number | boolean | null',
        },
      },
    },
  },
};

export default config;
