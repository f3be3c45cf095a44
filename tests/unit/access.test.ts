import { describe, expect, test } from '@jest/globals';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { rootFieldAccess } from '../../server/src/graphql/access.js';
import { applyAccessPolicy, buildSchemas, typeDefs } from '../../server/src/graphql/schema.js';

describe('default-deny', () => {
  test('every root field of Query and Mutation in schema.graphql declares an access policy', () => {
    const schema = buildSchema(typeDefs);
    for (const typeName of ['Query', 'Mutation'] as const) {
      const fields = Object.keys((schema.getType(typeName) as GraphQLObjectType).getFields());
      const missing = fields.filter((field) => !rootFieldAccess[typeName][field]);
      expect({ typeName, missing }).toEqual({ typeName, missing: [] });
    }
  });

  test('a root field without a policy stops the schema from being built', () => {
    const schema = buildSchema(`${typeDefs}\nextend type Query { undeclared: Int }`);
    expect(() => applyAccessPolicy(schema)).toThrow('Query.undeclared has no access policy');
  });

  test('only validateEmbedToken is public', () => {
    const publicFields = Object.entries(rootFieldAccess).flatMap(([type, fields]) =>
      Object.entries(fields)
        .filter(([, access]) => access === 'public')
        .map(([field]) => `${type}.${field}`),
    );
    expect(publicFields).toEqual(['Mutation.validateEmbedToken']);
  });

  test('the embed schema is EmbedQuery alone: no mutation type exists there', () => {
    const { embed, api } = buildSchemas();
    expect(embed.getMutationType()).toBeUndefined();
    expect(embed.getQueryType()?.name).toBe('EmbedQuery');
    expect(Object.keys(embed.getQueryType()!.getFields()).sort()).toEqual(['dashboard', 'exportWidget', 'page']);
    expect(api.getType('EmbedQuery')).toBeUndefined();
  });
});
