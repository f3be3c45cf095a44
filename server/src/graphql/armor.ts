import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { answerForCode, graphqlErrorResult, type ErrorAnswer } from '../http/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * Limits on what a GraphQL document may ask for, per endpoint. Every limit answers 400
 * with a message that names it; none can reach the resolvers or answer 500.
 *
 * The embed endpoint is tighter: its legitimate documents are a handful of fixed queries
 * sent by our own client, and every alias there is another render.
 */
export interface DocumentLimits {
  /** Characters in the `query` text, checked before it is parsed. */
  characters: number;
  /** Lexical tokens, counted while parsing. */
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  /**
   * graphql-armor's cost estimate: objects 2, scalars 1, times 1.5 per level of depth, times
   * a literal `first` argument. A console listing of 200 users costs about 4 000; one embed
   * page about 30.
   */
  cost: number;
}

export const API_LIMITS: DocumentLimits = { characters: 20_000, tokens: 2_000, depth: 10, aliases: 30, directives: 10, cost: 5_000 };
export const EMBED_LIMITS: DocumentLimits = { characters: 4_000, tokens: 500, depth: 8, aliases: 5, directives: 5, cost: 300 };

/** The answer to a `query` text over `limit` characters (BAD_USER_INPUT), or undefined when it is within it (or not a string). */
export function queryTooLong(query: unknown, limit: number): ErrorAnswer | undefined {
  if (typeof query !== 'string' || query.length <= limit) return undefined;
  return answerForCode('BAD_USER_INPUT', `The query is ${query.length} characters long; the limit is ${limit}.`);
}

/**
 * Refuses an over-long query before Apollo sees it. (This is Express middleware, not an
 * Apollo hook: Apollo serves any error thrown before parsing as a 500.)
 */
export function queryCharacterLimit(limit: number): RequestHandler {
  return (req, res, next) => {
    const query: unknown = req.method === 'GET' ? req.query['query'] : (req.body as { query?: unknown } | undefined)?.query;
    const refusal = queryTooLong(query, limit);
    if (refusal) {
      res.status(refusal.status).json(graphqlErrorResult(refusal));
      return;
    }
    next();
  };
}

/** Apollo options that apply the limits of one endpoint. */
export interface ArmorOptions {
  plugins: Array<ApolloServerPlugin<GraphQLContext>>;
  validationRules: ValidationRule[];
  /** Counts tokens in graphql-js's own lexer while Apollo parses: an excess is a 400 parse error. */
  parseOptions: { maxTokens: number };
}

/**
 * graphql-armor's validation rules (depth, aliases, directives, cost) plus the token
 * limit, for one endpoint (the character limit is `queryCharacterLimit`, in front of Apollo).
 *
 * graphql-armor's Apollo token plugin is not used: it re-parses the document in
 * `parsingDidStart` and adds an `unexpectedErrorProcessingRequest` hook, so under Apollo 5
 * every syntax error (and every other early refusal) became a 500. graphql-js counts the
 * same lexer tokens itself (`maxTokens`), during the one parse Apollo already does.
 */
export function graphqlArmor(limits: DocumentLimits): ArmorOptions {
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: limits.depth, exposeLimits: true },
    maxAliases: { n: limits.aliases, exposeLimits: true },
    maxDirectives: { n: limits.directives, exposeLimits: true },
    costLimit: { maxCost: limits.cost, exposeLimits: true },
    // Its mask leaves part of some suggestions behind; withoutSuggestions (in formatError)
    // and Apollo's hideSchemaDetailsFromClientErrors remove them whole.
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as Array<ApolloServerPlugin<GraphQLContext>>,
    validationRules,
    parseOptions: { maxTokens: limits.tokens },
  };
}

/** Removes "Did you mean …?" from a message: suggestions would reveal the schema to anyone probing it. */
export const withoutSuggestions = (message: string): string => message.replace(/\s*Did you mean\b[\s\S]*$/, '');

/** The root fields an operation selects (one per alias), through fragments and inline fragments. */
function rootFieldNames(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode | undefined>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value) && fragments[selection.name.value]) {
      seen.add(selection.name.value);
      names.push(...rootFieldNames(fragments[selection.name.value]!.selectionSet, fragments, seen));
    }
  }
  return names;
}

/**
 * The embed endpoint's documents: a query (it has no mutation or subscription type, and
 * says so with a 400 instead of failing at execution) with exactly one root field — one
 * `page` or one `dashboard` — so that aliases cannot multiply a render. `__typename` is free.
 */
export const oneEmbedRender: ValidationRule = (context: ValidationContext) => ({
  OperationDefinition(node) {
    if (node.operation !== 'query') {
      context.reportError(new GraphQLError(`The embed endpoint answers queries only, not a ${node.operation}.`, { nodes: [node] }));
      return;
    }
    const fragments = new Proxy({} as Record<string, FragmentDefinitionNode | undefined>, { get: (_, name) => context.getFragment(String(name)) });
    const fields = rootFieldNames(node.selectionSet, fragments).filter((name) => name !== '__typename');
    if (fields.length > 1) {
      context.reportError(
        new GraphQLError(`The embed endpoint renders one root field per request; this operation asks for ${fields.length}.`, { nodes: [node] }),
      );
    }
  },
});

/**
 * Introspection on `/graphql` is for authenticated callers (an API key or a console
 * session): GraphiQL, Apollo Sandbox and codegen send a key; anonymous callers, who may
 * only exchange embed tokens, learn nothing about the schema.
 */
export function introspectionForViewersOnly(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (contextValue.viewer || !operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document?.definitions ?? []) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          if (rootFieldNames(operation.selectionSet, fragments).some((name) => name === '__schema' || name === '__type')) {
            throw new GraphQLError('Introspection needs an API key (X-API-KEY) or a console session.', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        },
      };
    },
  };
}
