import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { parse, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import { statusFor } from '../http/errors.js';
import type { GraphQLContext } from './context.js';
import { TRUSTED_EMBED_DOCUMENTS } from './generated/embed-documents.js';

/**
 * Trusted documents on the embed endpoint, through Apollo's own persisted-query support (one
 * pipeline): the embed client sends `extensions.persistedQuery.sha256Hash` and no text, and
 * Apollo reads the document from this read-only cache. Nothing is ever registered at run time
 * (`set` does nothing), so the set of documents is exactly the client's, fixed at build time
 * (scripts/embed-documents.ts).
 *
 * In production (`NODE_ENV=production`) the endpoint runs nothing else: a document sent as text
 * runs only if it is one of them, byte for byte; anything else is 400 PERSISTED_QUERY_NOT_FOUND
 * before it is parsed (Apollo's own refusal of an unknown hash). In development any document works, for GraphiQL and curl.
 */
export class TrustedDocuments {
  readonly #documents: ReadonlyMap<string, string>;

  constructor(documents: Readonly<Record<string, string>> = TRUSTED_EMBED_DOCUMENTS) {
    this.#documents = new Map(Object.entries(documents));
  }

  /** The documents' texts by hash. */
  get documents(): ReadonlyMap<string, string> {
    return this.#documents;
  }

  /**
   * Fails the start when a trusted document does not validate against the endpoint's schema
   * and rules (a client built against another schema), instead of failing every viewer later.
   */
  assertValid(schema: GraphQLSchema, rules: readonly ValidationRule[]): void {
    for (const [hash, text] of this.#documents) {
      const errors = validate(schema, parse(text), rules);
      if (errors.length) throw new Error(`Trusted embed document ${hash.slice(0, 12)}… does not validate: ${errors.map((e) => e.message).join('; ')}`);
    }
  }

  /**
   * Apollo's `persistedQueries.cache`: the documents by hash, read-only. Apollo prefixes the keys
   * of a cache it may share with other uses; this one holds nothing else, so it is keyed by bare hash.
   */
  readonly cache: KeyValueCache<string> = PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation({
    get: async (hash: string) => this.#documents.get(hash),
    set: async () => undefined,
    delete: async () => undefined,
  });

  /**
   * In production, turns a document sent as text that is not trusted into a request for a hash
   * nobody knows, so that Apollo's own persisted-query step refuses it, before parsing. Everywhere,
   * the refusal is a 400 (Apollo answers an unknown hash with 200, the convention for APQ clients
   * that retry with the text; no client of this endpoint does).
   */
  plugin(production: boolean): ApolloServerPlugin<GraphQLContext> {
    const documents = this.#documents;
    return {
      async requestDidStart({ request }) {
        if (production && typeof request.query === 'string' && !documents.has(sha256(request.query))) {
          request.query = undefined;
          request.extensions = { ...request.extensions, persistedQuery: { version: 1, sha256Hash: UNTRUSTED } };
        }
        return {
          async willSendResponse({ response, errors }) {
            if (errors?.some((error) => error.extensions['code'] === 'PERSISTED_QUERY_NOT_FOUND'))
              response.http.status = statusFor('PERSISTED_QUERY_NOT_FOUND');
          },
        };
      },
    };
  }
}

/** Not a SHA-256 of anything: the hash an untrusted text is replaced with. */
const UNTRUSTED = 'untrusted';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
