import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_VALUES_LIMIT, MAX_VALUES_LIMIT } from '../catalog/catalog.service.js';
import type { WidgetQuery } from '../domain/types.js';
import { badInput } from '../errors.js';
import { maxCells, MAX_RESPONSE_CELLS } from '../query/compiler.js';
import type { GraphQLContext } from './context.js';
import { toGraphQLError } from './errors.js';

/**
 * The `Query` fields that read records or every page of a workspace: each one is a scan of a dataset
 * (or of the pages), whatever it returns, so aliases cannot be allowed to multiply them.
 */
const COUNTED = new Set(['fieldValues', 'previewWidget', 'previewEmbeddedWidget', 'pages']);

const COUNTED_NAMES = [...COUNTED].map((name, index, all) => (index === all.length - 1 ? `and ${name}` : name)).join(', ');

/** How many of the COUNTED fields one `/graphql` request may ask for, together. */
export const MAX_COUNTED_FIELDS = 5;

/** Every root field an operation selects (one per alias), through fragments and inline fragments, directives or not. */
function rootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(selection.selectionSet, fragments, seen));
    else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(selection.name.value)) continue;
      seen.add(selection.name.value);
      fields.push(...rootFields(fragment.selectionSet, fragments, seen));
    }
  }
  return fields;
}

type Arguments = Record<string, unknown>;
const record = (value: unknown): Arguments => (value !== null && typeof value === 'object' ? (value as Arguments) : {});

/** The most cells one counted field can return, from its arguments; 0 where its resolver refuses them before any work. */
function cellsOf(name: string, args: Arguments): number {
  if (name === 'fieldValues') {
    const limit = args['limit'] ?? DEFAULT_VALUES_LIMIT;
    return Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_VALUES_LIMIT ? (limit as number) : 0;
  }
  if (name === 'previewWidget' || name === 'previewEmbeddedWidget') {
    const query = record(record(args['input'])['query']);
    const select = Array.isArray(query['select']) ? (query['select'] as string[]) : null;
    return maxCells({
      dataset: String(query['dataset'] ?? ''),
      filters: [],
      groupBy: (query['groupBy'] as string | null | undefined) ?? null,
      bucket: (query['bucket'] as WidgetQuery['bucket'] | undefined) ?? null,
      metric: (query['metric'] as WidgetQuery['metric'] | undefined) ?? null,
      select,
      sort: null,
      limit: typeof query['limit'] === 'number' ? query['limit'] : null,
      seriesBy: (query['seriesBy'] as string | null | undefined) ?? null,
    });
  }
  return 0;
}

/** The counted fields of a query operation and the cells they can return together (null: the variables do not coerce). */
function measure(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Arguments) {
  const fields = rootFields(operation.selectionSet, fragments).filter((field) => COUNTED.has(field.name.value));
  if (fields.length === 0 || fields.length > MAX_COUNTED_FIELDS) return { fields: fields.length, cells: 0 };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Variables that do not coerce fail the whole operation before any resolver runs.
  if (coerced.errors) return { fields: fields.length, cells: 0 };
  const definitions = schema.getQueryType()!.getFields();
  let cells = 0;
  for (const field of fields) {
    try {
      cells += cellsOf(field.name.value, getArgumentValues(definitions[field.name.value] as GraphQLField<unknown, unknown>, field, coerced.coerced));
    } catch {
      // Arguments that do not coerce fail that field before its resolver runs: it costs nothing.
    }
  }
  return { fields: fields.length, cells };
}

/**
 * What one `/graphql` request may make the server read and send, counted before any resolver runs:
 * at most MAX_COUNTED_FIELDS of `fieldValues`, `previewWidget`, `previewEmbeddedWidget` and `pages` together
 * (aliases and fragments count each), and at most MAX_RESPONSE_CELLS cells from them (a preview's limit × columns,
 * a `fieldValues` limit). Over either, the request is refused with 400 BAD_USER_INPUT and nothing runs.
 * An Apollo hook rather than a validation rule: the cells depend on variables, which validation does not see.
 */
export function responseBudgetPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (operation?.operation !== 'query') return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const { fields, cells } = measure(schema, operation, fragments, record(request.variables));
          if (fields > MAX_COUNTED_FIELDS) {
            throw toGraphQLError(
              badInput(
                `This request asks for ${fields} of ${COUNTED_NAMES} (each alias counts); at most ${MAX_COUNTED_FIELDS} may be asked for in one request.`,
              ),
            );
          }
          if (cells > MAX_RESPONSE_CELLS) {
            throw toGraphQLError(
              badInput(
                `This request could return ${cells} cells (a preview: limit × columns; fieldValues: limit); one response may carry at most ${MAX_RESPONSE_CELLS}. Ask for fewer or smaller ones per request.`,
              ),
            );
          }
        },
      };
    },
  };
}
