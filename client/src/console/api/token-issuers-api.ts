import {
  ConsoleCreateTokenIssuerDocument,
  ConsoleRevokeTokenIssuerDocument,
  ConsoleTokenIssuersDocument,
  type CreateTokenIssuerInput,
  type TokenIssuerFieldsFragment,
} from '../../generated/operations';
import { gql } from './graphql-client';

export type TokenIssuer = TokenIssuerFieldsFragment;
export type { CreateTokenIssuerInput };

/** The workspace's registered token issuers, newest first (admins). */
export const listTokenIssuers = async (signal?: AbortSignal): Promise<TokenIssuer[]> => (await gql(ConsoleTokenIssuersDocument, {}, signal)).tokenIssuers;
export const createTokenIssuer = async (input: CreateTokenIssuerInput): Promise<TokenIssuer> =>
  (await gql(ConsoleCreateTokenIssuerDocument, { input })).createTokenIssuer;
export const revokeTokenIssuer = async (id: string): Promise<TokenIssuer> => (await gql(ConsoleRevokeTokenIssuerDocument, { id })).revokeTokenIssuer;
