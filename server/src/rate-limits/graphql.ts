import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import type { RateLimits } from './surfaces.js';

/**
 * The GraphQL side of the rate limits, counted per operation: a document that asks for
 * `validateEmbedToken` three times under aliases counts three exchanges. (Batched HTTP
 * requests are off and the embed endpoint takes one root field, so one request carries one
 * operation.) Over-limit answers get their 429 from `graphql/errors.ts`.
 */

type Wrap = (context: GraphQLContext, args: Record<string, unknown>, run: () => Promise<unknown>) => Promise<unknown>;

function limitField(schema: GraphQLSchema, typeName: string, fieldName: string, wrap: Wrap): void {
  const type = schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  if (!field) throw new Error(`Rate limit names ${typeName}.${fieldName}, which the schema does not have.`);
  const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext>;
  field.resolve = (source, args, context, info) => {
    const run = async () => resolve(source, args, context, info);
    // No client means no HTTP request (a test's executeOperation): nothing to count.
    return context.client ? wrap(context, args, run) : run();
  };
}

/**
 * Wraps the limited fields: the token exchange (per address, per token, and its failures per
 * address, with the credential check in the same round trip). Embed renders are counted where
 * their credential is opened, in front of Apollo (`openEmbed`), in the round trip that opens it.
 */
export function limitSchemas(schemas: { api: GraphQLSchema; embed: GraphQLSchema }, limits: RateLimits): void {
  limitField(schemas.api, 'Mutation', 'validateEmbedToken', (context, args, run) =>
    limits.exchangeAndAuthenticate(context.client!.address, args['embedToken'], run),
  );
}

/** Counts each `/graphql` operation of an authenticated caller against its API key (or, for a console session, its principal) and its workspace. */
export function apiCallLimitPlugin(limits: RateLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          if (!contextValue.viewer || !contextValue.client) return;
          // A refusal thrown here is Apollo's to wrap; graphql/errors.ts answers it from the error table (429 and its headers).
          const { viewer, client } = contextValue;
          await limits.apiCall(client.credentialDigest ?? `principal:${viewer.principal._id}`, viewer.workspace._id);
        },
      };
    },
  };
}
