import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AppError } from '../errors.js';
import { longestWait, rateLimitHeaders, RateLimitedError, type RateLimiter, type RateLimitState } from '../http/rate-limit.js';
import type { GraphQLContext } from './context.js';

/**
 * Rate limits on the GraphQL endpoints, counted per operation: a document that asks for
 * `validateEmbedToken` three times under aliases counts three exchanges, and each aliased
 * `page` is a render of its own. (Batched HTTP requests are off, so one request carries one
 * operation, and `/graphql` counts that operation once per API key.)
 */

type Take = (context: GraphQLContext, args: Record<string, unknown>) => Promise<void>;

function limitField(schema: GraphQLSchema, typeName: string, fieldName: string, take: Take): void {
  const type = schema.getType(typeName);
  const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
  if (!field) throw new Error(`Rate limit names ${typeName}.${fieldName}, which the schema does not have.`);
  const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext>;
  field.resolve = async (source, args, context, info) => {
    // No client means no HTTP request (a test's executeOperation): nothing to count.
    if (context.client) await take(context, args);
    return resolve(source, args, context, info);
  };
}

/** Wraps the token exchange on the API schema: per client address, then per embed token. */
export function limitTokenExchange(api: GraphQLSchema, limiter: RateLimiter): void {
  limitField(api, 'Mutation', 'validateEmbedToken', async (context, args) => {
    await limiter.take('exchange-address', context.client!.address);
    if (typeof args['embedToken'] === 'string') await limiter.take('exchange-token', args['embedToken']);
  });
}

/** Wraps the renders on the embed schema: per bearer token. */
export function limitEmbedRenders(embed: GraphQLSchema, limiter: RateLimiter): void {
  const take: Take = async (context) => {
    await limiter.take('render-token', context.client!.credentialDigest ?? 'none');
  };
  limitField(embed, 'EmbedQuery', 'page', take);
  limitField(embed, 'EmbedQuery', 'dashboard', take);
}

const unwrap = (error: unknown): unknown => {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
};

/** A rate-limit refusal raised outside execution, carrying its HTTP answer. */
const refusal = (error: RateLimitedError): GraphQLError =>
  new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status: 429, headers: new HeaderMap(Object.entries(rateLimitHeaders(error.state))) } },
  });

/**
 * Counts each `/graphql` operation of an authenticated caller against its API key (or,
 * for a console session, its principal), and serves every over-limit answer on either
 * endpoint as 429 with Retry-After and the RateLimit fields.
 */
export function rateLimitPlugin(limiter: RateLimiter, options: { perApiKey: boolean }): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          if (!options.perApiKey || !contextValue.viewer || !contextValue.client) return;
          try {
            await limiter.take('api-key', contextValue.client.credentialDigest ?? `principal:${contextValue.viewer.principal._id}`);
          } catch (error) {
            throw error instanceof RateLimitedError ? refusal(error) : error;
          }
        },
        async willSendResponse({ response, errors }) {
          const originals = (errors ?? []).map(unwrap);
          // The canonical embed answer (401, one body) wins over everything, as the design requires.
          if (originals.some((error) => error instanceof AppError && error.code === 'EMBED_UNAVAILABLE')) return;
          const worst = longestWait(
            originals.filter((error): error is RateLimitedError => error instanceof RateLimitedError).map((error) => error.state as RateLimitState),
          );
          if (!worst) return;
          response.http.status = 429;
          for (const [name, value] of Object.entries(rateLimitHeaders(worst))) response.http.headers.set(name.toLowerCase(), value);
        },
      };
    },
  };
}
