import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type PersistedQueryOptions } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import { graphqlArmor, type DocumentLimits } from './armor.js';
import type { GraphQLContext } from './context.js';
import { errorStatusPlugin, formatError } from './errors.js';

export interface EndpointOptions {
  schema: GraphQLSchema;
  limits: DocumentLimits;
  /** Plugins of this endpoint alone, run after the shared ones (drain, armor). */
  plugins: Array<ApolloServerPlugin<GraphQLContext>>;
  validationRules?: ValidationRule[];
  introspection: boolean;
  /** The endpoint's persisted documents (the embed endpoint's trusted documents); Apollo's default otherwise. */
  persistedQueries?: PersistedQueryOptions;
  /** Who executes operations (`compiledExecution`), given the same schema; graphql-js's `execute` otherwise. */
  gateway?: GatewayInterface;
}

/**
 * Every GraphQL answer is `Cache-Control: no-store`: each is one viewer's or caller's data. This is what Apollo's
 * implicit cache-control plugin answered here (no field has a cache hint, so no answer was ever cacheable), but that
 * plugin wraps every field resolver of the schema and runs a hook per resolved field to compute a policy that is always
 * "uncacheable" (`npm run bench:profile`: Apollo's and graphql-js's self time per render fell from 117 % to 88 % of the
 * data work's). It is disabled and this header is set once per response.
 */
const noStore: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Apollo servers for the two endpoints, built the same way: the endpoint's document limits,
 * errors formatted and mapped onto HTTP from the one error table, no stack traces, no schema
 * hints in client errors, no batching.
 */
export function apolloServers(httpServer: Server, logger: Logger, graceMs: number) {
  const drain = ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: graceMs });
  return (options: EndpointOptions): ApolloServer<GraphQLContext> => {
    const armor = graphqlArmor(options.limits);
    return new ApolloServer<GraphQLContext>({
      ...(options.gateway ? { gateway: options.gateway } : { schema: options.schema }),
      plugins: [ApolloServerPluginCacheControlDisabled(), noStore, drain, ...armor.plugins, ...options.plugins, errorStatusPlugin(logger)],
      validationRules: [...armor.validationRules, ...(options.validationRules ?? [])],
      parseOptions: armor.parseOptions,
      formatError,
      includeStacktraceInErrorResponses: false,
      hideSchemaDetailsFromClientErrors: true,
      introspection: options.introspection,
      allowBatchedHttpRequests: false,
      ...(options.persistedQueries ? { persistedQueries: options.persistedQueries } : {}),
      // main.ts owns SIGTERM: Apollo's own handler would stop (and cut idle keep-alive
      // connections) at once, before the drain delay that lets clients move elsewhere.
      stopOnTerminationSignals: false,
    });
  };
}
