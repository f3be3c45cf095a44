import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DASHBOARD_QUERY, EXPORT_QUERY, PAGE_QUERY, VALIDATE_EMBED_TOKEN } from '../../client/src/api/queries.js';
import { API_LIMITS, EMBED_LIMITS, graphqlArmor, type DocumentLimits } from '../../server/src/graphql/armor.js';
import { buildSchemas } from '../../server/src/graphql/schema.js';
import { repoRoot } from '../../server/src/paths.js';

/**
 * The embed client sends hand-minified documents (client/src/api/queries.ts) and types their results
 * with codegen's types for client/src/api/embed.graphql. These tests keep the two in step, and the
 * documents within what the server accepts.
 */

const embedGraphql = parse(readFileSync(join(repoRoot(), 'client', 'src', 'api', 'embed.graphql'), 'utf8'));
const fragments = new Map(
  embedGraphql.definitions
    .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
    .map((fragment) => [fragment.name.value, fragment]),
);

/** The selection with every fragment spread replaced by that fragment's selections. */
function inlined(selectionSet: SelectionSetNode): SelectionSetNode {
  return {
    ...selectionSet,
    selections: selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) return inlined(fragments.get(selection.name.value)!.selectionSet).selections;
      if (selection.kind === Kind.FIELD && selection.selectionSet) return [{ ...selection, selectionSet: inlined(selection.selectionSet) }];
      return [selection];
    }),
  };
}

const selectionOf = (document: DocumentNode) => {
  const [definition] = document.definitions;
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  return print(inlined(definition.selectionSet));
};

/** What the server would say about `source`: graphql-js's rules plus the endpoint's limits. */
function problemsOf(schema: GraphQLSchema, limits: DocumentLimits, source: string): string[] {
  expect(source.length).toBeLessThanOrEqual(limits.characters);
  const document = parse(source, { maxTokens: limits.tokens });
  return validate(schema, document, [...specifiedRules, ...graphqlArmor(limits).validationRules]).map((error) => error.message);
}

describe('the documents the embed client sends', () => {
  const { api, embed } = buildSchemas();

  test('the page embed asks for exactly PageEmbedSelection, and the embed endpoint accepts it', () => {
    expect(selectionOf(parse(PAGE_QUERY))).toBe(print(inlined(fragments.get('PageEmbedSelection')!.selectionSet)));
    expect(problemsOf(embed, EMBED_LIMITS, PAGE_QUERY)).toEqual([]);
  });

  test('the dashboard asks for exactly DashboardEmbedSelection, and the embed endpoint accepts it', () => {
    expect(selectionOf(parse(DASHBOARD_QUERY))).toBe(print(inlined(fragments.get('DashboardEmbedSelection')!.selectionSet)));
    expect(problemsOf(embed, EMBED_LIMITS, DASHBOARD_QUERY)).toEqual([]);
  });

  test('the export buttons ask for exactly ExportWidgetSelection, and the embed endpoint accepts it', () => {
    expect(selectionOf(parse(EXPORT_QUERY))).toBe(print(inlined(fragments.get('ExportWidgetSelection')!.selectionSet)));
    expect(problemsOf(embed, EMBED_LIMITS, EXPORT_QUERY)).toEqual([]);
  });

  test('the session exchange is exactly the ValidateEmbedToken mutation, and /graphql accepts it', () => {
    const mutation = embedGraphql.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    expect(print(parse(VALIDATE_EMBED_TOKEN))).toBe(print({ kind: Kind.DOCUMENT, definitions: [mutation!] }));
    expect(problemsOf(api, API_LIMITS, VALIDATE_EMBED_TOKEN)).toEqual([]);
  });
});
