/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type WidgetKind =
  | 'BAR'
  | 'LINE'
  | 'NUMBER'
  | 'TABLE';

export type EmbeddedPageFieldsFragment = { id: string, title: string, description: string | null, refreshSeconds: number | null, widgets: Array<{ id: string, title: string, kind: WidgetKind, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> };

export type PageEmbedSelectionFragment = { page: { id: string, title: string, description: string | null, refreshSeconds: number | null, widgets: Array<{ id: string, title: string, kind: WidgetKind, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> } };

export type DashboardEmbedSelectionFragment = { dashboard: { pages: Array<{ id: string, title: string, description: string | null, refreshSeconds: number | null, widgets: Array<{ id: string, title: string, kind: WidgetKind, data: { columns: Array<string>, rows: Array<Array<string | number | boolean | null>> } }> }> } };

export type ValidateEmbedTokenMutationVariables = Exact<{
  embedToken: string;
}>;


export type ValidateEmbedTokenMutation = { validateEmbedToken: { authToken: string, expiresAt: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const EmbeddedPageFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  widgets {
    id
    title
    kind
    data {
      columns
      rows
    }
  }
}
    `, {"fragmentName":"EmbeddedPageFields"}) as unknown as TypedDocumentString<EmbeddedPageFieldsFragment, unknown>;
export const PageEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PageEmbedSelection on EmbedQuery {
  page {
    ...EmbeddedPageFields
  }
}
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  widgets {
    id
    title
    kind
    data {
      columns
      rows
    }
  }
}`, {"fragmentName":"PageEmbedSelection"}) as unknown as TypedDocumentString<PageEmbedSelectionFragment, unknown>;
export const DashboardEmbedSelectionFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardEmbedSelection on EmbedQuery {
  dashboard {
    pages {
      ...EmbeddedPageFields
    }
  }
}
    fragment EmbeddedPageFields on EmbeddedPage {
  id
  title
  description
  refreshSeconds
  widgets {
    id
    title
    kind
    data {
      columns
      rows
    }
  }
}`, {"fragmentName":"DashboardEmbedSelection"}) as unknown as TypedDocumentString<DashboardEmbedSelectionFragment, unknown>;
export const ValidateEmbedTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation ValidateEmbedToken($embedToken: String!) {
  validateEmbedToken(embedToken: $embedToken) {
    authToken
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ValidateEmbedTokenMutation, ValidateEmbedTokenMutationVariables>;