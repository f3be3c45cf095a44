import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, defaultFieldResolver, isObjectType, type GraphQLFieldResolver } from 'graphql';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver, JSONResolver, PositiveIntResolver, URLResolver } from 'graphql-scalars';
import { auditResolvers } from '../audit/audit.resolvers.js';
import { catalogResolvers } from '../catalog/catalog.resolvers.js';
import { literalDeeperThan, MAX_BODY_DEPTH, valueDeeperThan } from '../domain/nesting.js';
import { embedsResolvers } from '../embeds/embeds.resolvers.js';
import { AppError } from '../errors.js';
import { repoRoot } from '../paths.js';
import { pagesResolvers } from '../pages/pages.resolvers.js';
import { peopleResolvers } from '../people/people.resolvers.js';
import { principalsResolvers } from '../principals/principals.resolvers.js';
import { recordsResolvers } from '../records/records.resolvers.js';
import { secretsResolvers } from '../secrets/secrets.resolvers.js';
import { tokenIssuersResolvers } from '../issuers/token-issuers.resolvers.js';
import { usersResolvers } from '../users/users.resolvers.js';
import { workspacesResolvers } from '../workspaces/workspaces.resolvers.js';
import { rootFieldAccess, type Access } from './access.js';
import type { GraphQLContext } from './context.js';

export const typeDefs = readFileSync(join(repoRoot(), 'schema.graphql'), 'utf8');

const guard =
  (access: Access, resolve: GraphQLFieldResolver<unknown, GraphQLContext>): GraphQLFieldResolver<unknown, GraphQLContext> =>
  (source, args, context, info) => {
    if (access === 'authenticated' && !context.viewer) throw new AppError('UNAUTHENTICATED', 'Send a valid API key in the X-API-KEY header.');
    return resolve(source, args, context, info);
  };

/**
 * Applies the access policy to every root field, refusing to build a schema in which a
 * root field has no declared policy (default-deny), or a policy names no field.
 */
export function applyAccessPolicy(schema: GraphQLSchema): void {
  for (const typeName of ['Query', 'Mutation'] as const) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const policies = rootFieldAccess[typeName];
    const fields = type.getFields();
    for (const [name, field] of Object.entries(fields)) {
      const access = policies[name];
      if (!access) throw new Error(`${typeName}.${name} has no access policy in server/src/graphql/access.ts (default-deny).`);
      field.resolve = guard(access, (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext>);
    }
    for (const name of Object.keys(policies)) {
      if (!fields[name]) throw new Error(`access.ts names ${typeName}.${name}, which the schema does not have.`);
    }
  }
}

/** Documents keep their id in `_id`; every `id` field without a resolver reads it. */
function resolveIdsFromUnderscoreId(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const idField = type.getFields()['id'];
    if (idField && !idField.resolve) idField.resolve = (source: { id?: unknown; _id?: unknown }) => source.id ?? source._id;
  }
}

export interface Schemas {
  /** `POST /graphql`: Query and Mutation. */
  api: GraphQLSchema;
  /** `POST /embed/graphql`: EmbedQuery alone, so no mutation exists there. */
  embed: GraphQLSchema;
}

/**
 * A JSON scalar that refuses values nested deeper than MAX_BODY_DEPTH before graphql-scalars walks
 * them (recursively: a value thousands deep would overflow the stack into a RangeError). A refusal
 * here is a coercion error: 400 for a variable, a validation failure (400) for a literal.
 */
function depthChecked(scalar: GraphQLScalarType): GraphQLScalarType {
  const refuse = () => new GraphQLError(`${scalar.name} value nested deeper than ${MAX_BODY_DEPTH} levels.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return new GraphQLScalarType({
    ...scalar.toConfig(),
    parseValue(value) {
      if (valueDeeperThan(value, MAX_BODY_DEPTH)) throw refuse();
      return scalar.parseValue(value);
    },
    parseLiteral(node, variables) {
      if (literalDeeperThan(node, MAX_BODY_DEPTH)) throw refuse();
      return scalar.parseLiteral(node, variables);
    },
  });
}

export function buildSchemas(): Schemas {
  const full = makeExecutableSchema<GraphQLContext>({
    typeDefs,
    resolvers: [
      {
        DateTime: DateTimeResolver,
        EmailAddress: EmailAddressResolver,
        JSONObject: depthChecked(JSONObjectResolver),
        JSON: depthChecked(JSONResolver),
        URL: URLResolver,
        PositiveInt: PositiveIntResolver,
      },
      principalsResolvers,
      peopleResolvers,
      usersResolvers,
      recordsResolvers,
      pagesResolvers,
      secretsResolvers,
      tokenIssuersResolvers,
      embedsResolvers,
      catalogResolvers,
      workspacesResolvers,
      auditResolvers,
    ] as never,
  });
  resolveIdsFromUnderscoreId(full);
  applyAccessPolicy(full);
  const api = new GraphQLSchema({
    query: full.getQueryType()!,
    mutation: full.getMutationType()!,
  });
  const embed = new GraphQLSchema({ query: full.getType('EmbedQuery') as GraphQLObjectType });
  return { api, embed };
}
