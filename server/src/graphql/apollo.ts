import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type PersistedQueryOptions } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
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
}

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
      schema: options.schema,
      plugins: [drain, ...armor.plugins, ...options.plugins, errorStatusPlugin(logger)],
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
