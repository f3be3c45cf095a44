import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * graphql-jit inside Apollo's one pipeline, as mercurius runs it inside its own: the embed endpoint's trusted
 * documents are compiled to JavaScript once, at start, and every request for one of them executes the compiled
 * function instead of graphql-js's interpreter, which walks the document field by field on every render
 * (`npm run bench:profile`: graphql-js was the largest part of the endpoint's own cost once Express was out of the way).
 *
 * It is plugged in where Apollo lets a server choose its executor: the `gateway` option (`@apollo/server-gateway-interface`),
 * which hands Apollo the schema and an executor. Everything before and after execution stays Apollo's: parsing,
 * validation and the document cache, every plugin hook, `formatError`, the HTTP answer. What is not a compiled
 * document (any other document, in development) is executed by graphql-js's `execute`, exactly as Apollo executes it
 * without a gateway; so is a request whose variables graphql-jit refuses, so that such refusals keep graphql-js's
 * words, which Apollo recognises as BAD_USER_INPUT (no resolver has run then).
 */
export function compiledExecution(schema: GraphQLSchema, documents: ReadonlyMap<string, string>): GatewayInterface {
  /** Compiled operations by document hash (Apollo's `queryHash`: the SHA-256 of the text) and operation name ('' for an anonymous one). */
  const compiled = new Map<string, Map<string, CompiledQuery>>();
  for (const [hash, text] of documents) {
    const document = parse(text);
    const operations = new Map<string, CompiledQuery>();
    for (const definition of document.definitions) {
      if (definition.kind !== 'OperationDefinition') continue;
      const name = definition.name?.value ?? '';
      const query = compileQuery(schema, document, name || undefined);
      if (!isCompiledQuery(query))
        throw new Error(`Trusted embed document ${hash.slice(0, 12)}… does not compile: ${query.errors?.map((e) => e.message).join('; ')}`);
      operations.set(name, query);
    }
    compiled.set(hash, operations);
  }

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, operation, request, context, queryHash } = requestContext;
    // No operation: Apollo could not pick one (an unknown `operationName`); graphql-js says why, as without a gateway.
    const query = operation ? compiled.get(queryHash)?.get(operation.name?.value ?? '') : undefined;
    if (query) {
      const result = (await query.query(undefined, context, request.variables ?? {})) as ExecutionResult;
      if (result.data !== undefined) return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
    }
    return execute({ schema, document, contextValue: context, variableValues: request.variables, operationName: request.operationName });
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}

/**
 * graphql-jit's errors as graphql-js's: a `GraphQLError` with the same message, locations, path, original error
 * and extensions (graphql-jit leaves `extensions` undefined when the original error has none, which Apollo's
 * formatting does not expect).
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, {
    path: error.path,
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  // graphql-js computes `locations` from the AST nodes, which graphql-jit does not keep; its computed ones are the same.
  if (error.locations) Object.defineProperty(converted, 'locations', { value: error.locations, enumerable: true });
  return converted;
}
