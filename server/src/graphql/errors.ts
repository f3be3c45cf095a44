import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { AppError, StoreUnavailableError } from '../errors.js';
import { answerFor, answerForCode, graphqlErrorResult, type ClientErrorCode, type ErrorAnswer } from '../http/errors.js';
import { longestWait, RateLimitedError } from '../rate-limits/limiter.js';
import { withoutSuggestions } from './armor.js';
import type { GraphQLContext } from './context.js';

/** The error a resolver or hook threw, under Apollo's and graphql-js's wrappers. */
export function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

const VALUE_NODE_KINDS = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.NULL]);
const PROTOCOL_CODES = new Set<string>([
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
]);

/**
 * Known errors keep their message and code (from the error table); Apollo's own protocol
 * errors keep theirs; anything else is masked. No message ever carries a "Did you mean" suggestion.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatKnownError(formatted, error);
  return { ...result, message: withoutSuggestions(result.message) };
}

function formatKnownError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrap(error);
  if (original instanceof AppError || original instanceof StoreUnavailableError) {
    const answer = answerFor(original);
    return { message: answer.message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: answer.code } };
  }
  let code = formatted.extensions?.['code'];
  // A literal of the wrong type (a bad EmailAddress, say) is the caller's input, like a bad variable:
  // such validation errors point at the value node itself.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError && error.nodes?.[0] && VALUE_NODE_KINDS.has(error.nodes[0].kind))
    code = 'BAD_USER_INPUT';
  if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR')
    return { message: answerForCode('INTERNAL_SERVER_ERROR').message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  // Apollo's other request-level codes (OPERATION_RESOLUTION_FAILURE, PERSISTED_QUERY_NOT_SUPPORTED) are
  // the caller's malformed request: one documented code for all of them.
  const documented: ClientErrorCode = PROTOCOL_CODES.has(code) ? (code as ClientErrorCode) : 'BAD_REQUEST';
  return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code: documented } };
}

/**
 * A failure raised before execution (building the context, a plugin hook) as Apollo wants
 * it: a GraphQLError carrying the table's status and headers.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  const answer = answerFor(unwrap(error));
  return new GraphQLError(answer.message, {
    ...(error instanceof Error ? { originalError: error } : {}),
    extensions: {
      code: answer.code,
      http: { status: answer.status, headers: new HeaderMap(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v])) },
    },
  });
}

/** Which of a response's errors sets its HTTP answer: the embed refusal, then an outage, then a refused export, then the longest rate limit. */
function decisive(originals: readonly unknown[]): ErrorAnswer | undefined {
  if (originals.some((error) => error instanceof AppError && error.code === 'EMBED_UNAVAILABLE')) return answerForCode('EMBED_UNAVAILABLE');
  if (originals.some((error) => error instanceof StoreUnavailableError)) return answerForCode('SERVICE_UNAVAILABLE');
  // An export the token does not allow is its one refusal: 403, as the error table says.
  if (originals.some((error) => error instanceof AppError && error.code === 'EMBED_EXPORT_NOT_ALLOWED')) return answerForCode('EMBED_EXPORT_NOT_ALLOWED');
  const limited = longestWait(originals.filter((error): error is RateLimitedError => error instanceof RateLimitedError).map((error) => error.state));
  return limited ? answerFor(originals.find((error) => error instanceof RateLimitedError && error.state === limited)) : undefined;
}

/**
 * How a response with these errors is answered, from the error table: unexpected errors are
 * logged (`formatError` masks them); the decisive one, if any, sets the status and headers,
 * and an embed-credential failure also replaces the body with the one canonical answer.
 */
export function settleErrors(errors: readonly unknown[], logger: Logger, requestId: string | undefined): ErrorAnswer | undefined {
  const originals = errors.map(unwrap);
  for (const error of originals) {
    if (!(error instanceof AppError) && !(error instanceof StoreUnavailableError) && !(error instanceof GraphQLError)) {
      logger.error({ err: error, requestId }, 'Unexpected GraphQL error');
    }
  }
  return decisive(originals);
}

/**
 * Maps errors raised during execution onto HTTP from the error table (`settleErrors`): any
 * embed-credential failure becomes the one canonical body; an outage is 503 with
 * Retry-After; a rate limit is 429 with its fields. Other errors leave GraphQL's 200 with `errors`.
 */
export const errorStatusPlugin = (logger: Logger): ApolloServerPlugin<GraphQLContext> => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors, contextValue }) {
        const answer = settleErrors(errors ?? [], logger, contextValue?.requestId);
        if (!answer) return;
        if (answer.code === 'EMBED_UNAVAILABLE' && response.body.kind === 'single') response.body.singleResult = graphqlErrorResult(answer);
        response.http.status = answer.status;
        for (const [name, value] of Object.entries(answer.headers)) response.http.headers.set(name.toLowerCase(), value);
      },
    };
  },
});
