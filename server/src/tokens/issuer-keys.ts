import { importJWK, importSPKI, type JWK } from 'jose';
import type { IssuerAlgorithm } from './jwt.js';
import type { JwksFetcher } from './jwks-fetch.js';
import { TokenError } from './token-error.js';

/** Without `Cache-Control`, a key set is kept this long. */
const DEFAULT_MAX_AGE_SECONDS = 3600;
/** A key set is never kept longer than a day, whatever its `Cache-Control` says. */
const MAX_AGE_SECONDS = 86_400;
/** At most one fetch per issuer a minute: a shorter max-age, an unknown `kid` or a failure waits for it. */
const MIN_REFETCH_MS = 60_000;
const MAX_KEYS = 100;
const MAX_ISSUERS = 1000;

/** The key types each algorithm takes: an `oct` (shared secret) key is never one of them. */
const KEY_TYPES: Record<IssuerAlgorithm, string> = { ES256: 'EC', EdDSA: 'OKP', RS256: 'RSA' };

/** Where a registered issuer's public keys are: a JWKS URL, or one PEM (SPKI) key. */
export interface IssuerKeySource {
  id: string;
  jwksUrl: string | null;
  publicKeyPem: string | null;
}

interface KeySet {
  url: string;
  keys: JWK[] | null;
  /** Epoch ms: when `keys` were fetched, when they go stale, and when a fetch was last started. */
  fetchedAt: number;
  staleAt: number;
  triedAt: number;
  fetching: Promise<void> | null;
  imported: Map<string, Promise<CryptoKey>>;
}

/**
 * Registered issuers' public keys, imported once. A JWKS is fetched on first use, kept as its
 * `Cache-Control` says (at most a day; an hour without one), fetched again when stale or when a
 * token names a `kid` it lacks, but at most once a minute per issuer; a request waits for a fetch
 * at most `timeoutMs`. A failed fetch keeps the last good set until it is a day old. Whether the
 * issuer is live is not decided here: the caller reads it on every load.
 */
export class IssuerKeys {
  readonly #sets = new Map<string, KeySet>();
  readonly #pems = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key that verifies a token with this header `kid` and `alg`; `TokenError` when there is none. */
  async key(source: IssuerKeySource, kid: string, alg: IssuerAlgorithm): Promise<CryptoKey> {
    if (source.publicKeyPem) return this.#pemKey(source.id, source.publicKeyPem, alg);
    if (!source.jwksUrl) throw new TokenError('BAD_SIGNATURE');
    const set = this.#setOf(source.id, source.jwksUrl);
    if (!set.keys || this.now() >= set.staleAt) await this.#refresh(set);
    let jwk = this.#find(set, kid);
    if (!jwk) {
      await this.#refresh(set);
      jwk = this.#find(set, kid);
    }
    if (!jwk) throw new TokenError('BAD_SIGNATURE');
    if (jwk.kty !== KEY_TYPES[alg] || (jwk.alg !== undefined && jwk.alg !== alg) || (jwk.use !== undefined && jwk.use !== 'sig')) {
      throw new TokenError('BAD_SIGNATURE');
    }
    const cacheKey = `${kid}\u0000${alg}`;
    let imported = set.imported.get(cacheKey);
    if (!imported) {
      imported = importJWK(jwk, alg).then((key) => {
        if (key instanceof Uint8Array) throw new TokenError('BAD_SIGNATURE');
        return key;
      });
      imported.catch(() => set.imported.delete(cacheKey));
      set.imported.set(cacheKey, imported);
    }
    return imported.catch(() => {
      throw new TokenError('BAD_SIGNATURE');
    });
  }

  #pemKey(id: string, pem: string, alg: IssuerAlgorithm): Promise<CryptoKey> {
    const cacheKey = `${id}\u0000${alg}`;
    let imported = this.#pems.get(cacheKey);
    if (!imported) {
      imported = importSPKI(pem, alg);
      if (this.#pems.size >= MAX_ISSUERS) this.#pems.delete(this.#pems.keys().next().value!);
      this.#pems.set(cacheKey, imported);
    }
    // A key of another type than the header's alg does not import: refused like a bad signature.
    return imported.catch(() => {
      throw new TokenError('BAD_SIGNATURE');
    });
  }

  #setOf(id: string, url: string): KeySet {
    const found = this.#sets.get(id);
    if (found && found.url === url) return found;
    const set: KeySet = { url, keys: null, fetchedAt: 0, staleAt: 0, triedAt: -Infinity, fetching: null, imported: new Map() };
    if (this.#sets.size >= MAX_ISSUERS) this.#sets.delete(this.#sets.keys().next().value!);
    this.#sets.set(id, set);
    return set;
  }

  #find(set: KeySet, kid: string): JWK | undefined {
    return set.keys?.find((jwk) => jwk.kid === kid);
  }

  /** Fetches the set again unless one was started in the last minute; waits for it at most `timeoutMs`. */
  async #refresh(set: KeySet): Promise<void> {
    if (!set.fetching) {
      if (this.now() - set.triedAt < MIN_REFETCH_MS) return;
      set.triedAt = this.now();
      set.fetching = this.#fetch(set).finally(() => {
        set.fetching = null;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.timeoutMs);
    });
    await Promise.race([set.fetching, waited]).finally(() => clearTimeout(timer));
  }

  async #fetch(set: KeySet): Promise<void> {
    try {
      const { body, maxAgeSeconds } = await this.fetcher(new URL(set.url), AbortSignal.timeout(this.timeoutMs));
      const keys = (body as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys) || keys.length > MAX_KEYS || !keys.every((key) => key && typeof key === 'object' && !Array.isArray(key))) {
        throw new Error('not a JWKS');
      }
      const now = this.now();
      set.keys = keys as JWK[];
      set.fetchedAt = now;
      set.staleAt = now + Math.min(MAX_AGE_SECONDS, Math.max(maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS, MIN_REFETCH_MS / 1000)) * 1000;
      set.imported = new Map();
    } catch {
      // The last good set serves until it is a day old; then nothing does.
      if (set.keys && this.now() - set.fetchedAt >= MAX_AGE_SECONDS * 1000) set.keys = null;
    }
  }
}

/** Imports a PEM public key for each algorithm; the error message to show, or null when it fits them all. */
export async function checkPublicKeyPem(pem: string, algorithms: readonly IssuerAlgorithm[]): Promise<string | null> {
  if (!pem.trim().startsWith('-----BEGIN PUBLIC KEY-----')) return 'publicKeyPem must be a PEM public key (-----BEGIN PUBLIC KEY-----).';
  for (const alg of algorithms) {
    try {
      await importSPKI(pem.trim(), alg);
    } catch {
      return `publicKeyPem is not a key for ${alg}.`;
    }
  }
  return null;
}
