import { newId, randomToken } from '../crypto/random.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { SigningSecretDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput, notFound } from '../errors.js';
import { authorize } from '../policies/policies.js';
import type { Store } from '../store/port.js';
import { importHmacKey } from '../tokens/hmac-key.js';

const SECRET_PREFIX = 'phs_';
const SHOWN_PREFIX_LENGTH = 10;
/** The record id a decoy secret is sealed to: no real secret has it (ids are hex). */
const DECOY_ID = 'decoy';
/** Unsealed, imported keys kept per secret id; a bound, not a policy (the lookup decides every load). */
const MAX_CACHED_KEYS = 1000;

/** A secret's key, unsealed once and imported once for verifying. */
interface CachedKey {
  sealed: string;
  key: Uint8Array;
  verification: Promise<CryptoKey>;
}

/** What revoking a signing secret would stop (GraphQL `SigningSecretImpact`). */
export interface SigningSecretImpact {
  secret: SigningSecretDoc;
  liveEmbeds: number;
  pages: Array<{ pageId: string; title: string | null; liveEmbeds: number }>;
  sites: string[];
  anySite: number;
}

/** A signing secret ready to sign or verify with: the HMAC key is the plaintext's UTF-8 bytes. */
export interface ActiveSecret {
  doc: SigningSecretDoc;
  key: Uint8Array;
}

/** Workspace signing secrets for page embed tokens. Stored sealed; plaintext shown once. */
export class SecretsService {
  /** A sealed secret of the real shape, unsealed when the id is unknown or revoked, so that a miss costs what a hit costs. */
  readonly #decoySealed: string;
  readonly #decoy: CachedKey;
  readonly #keys = new Map<string, CachedKey>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {
    this.#decoySealed = box.seal(SECRET_PREFIX + randomToken(32), DECOY_ID);
    this.#decoy = this.#prepare(this.#decoySealed, DECOY_ID);
  }

  #prepare(sealed: string, id: string): CachedKey {
    const key = new TextEncoder().encode(this.box.open(sealed, id));
    const verification = importHmacKey(key);
    // A failed import is retried on the next load rather than cached.
    verification.catch(() => this.#keys.delete(id));
    return { sealed, key, verification };
  }

  /**
   * The key of a secret just read from the store: unsealed and imported on its first use, then
   * reused while the stored ciphertext is the same. Only the key is cached; whether the secret
   * is live was decided by the read that produced `doc`.
   */
  #keyOf(doc: SigningSecretDoc): CachedKey {
    const cached = this.#keys.get(doc._id);
    if (cached && cached.sealed === doc.secretSealed) return cached;
    const prepared = this.#prepare(doc.secretSealed, doc._id);
    if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(doc._id, prepared);
    return prepared;
  }

  async create(viewer: Viewer, name: string | null | undefined): Promise<{ secret: SigningSecretDoc; plaintext: string }> {
    authorize(viewer, 'signing-secret:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may create signing secrets.' });
    if (name && name.length > 100) throw badInput('name must be at most 100 characters.');
    const id = newId();
    const plaintext = SECRET_PREFIX + randomToken(32);
    const secret: SigningSecretDoc = {
      _id: id,
      workspaceId: viewer.workspace._id,
      name: name ?? null,
      prefix: plaintext.slice(0, SHOWN_PREFIX_LENGTH),
      secretSealed: this.box.seal(plaintext, id),
      createdBy: viewer.principal._id,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.store.signingSecrets.insertOne(secret);
    return { secret, plaintext };
  }

  async list(viewer: Viewer): Promise<SigningSecretDoc[]> {
    authorize(viewer, 'signing-secret:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may list signing secrets.' });
    return this.store.signingSecrets.find({ workspaceId: viewer.workspace._id }, { sort: { createdAt: -1, _id: 1 } });
  }

  /** Revoking is the kill switch: every token it signed fails on its next load. */
  async revoke(viewer: Viewer, id: string): Promise<SigningSecretDoc> {
    authorize(viewer, 'signing-secret:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may revoke signing secrets.' });
    const secret = await this.store.signingSecrets.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!secret) throw notFound('Signing secret');
    if (secret.revokedAt) return secret;
    return (await this.store.signingSecrets.updateOne({ _id: id }, { set: { revokedAt: this.clock.now() } }))!;
  }

  /**
   * What revoking a secret would stop, for the admin about to do it: its live embeds (not revoked, not
   * expired, console previews left out), the pages they show and the sites that frame them.
   */
  async impact(viewer: Viewer, id: string): Promise<SigningSecretImpact> {
    const refused = { code: 'FORBIDDEN', message: 'Only a workspace admin may see what revoking a signing secret stops.' } as const;
    // Refused before the lookup, as the rest of the secrets API is: a non-admin learns nothing about which ids exist.
    authorize(viewer, 'signing-secret:manage', viewer.workspace, refused);
    const secret = await this.store.signingSecrets.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!secret) throw notFound('Signing secret');
    authorize(viewer, 'signing-secret:read-impact', secret, refused);
    const now = this.clock.now().getTime();
    const signed = secret.revokedAt ? [] : await this.store.pageEmbeds.find({ workspaceId: viewer.workspace._id, secretId: id, revokedAt: null });
    const live = signed.filter((embed) => !embed.preview && embed.expiresAt.getTime() > now);
    const perPage = new Map<string, number>();
    const sites = new Set<string>();
    let anySite = 0;
    for (const embed of live) {
      perPage.set(embed.pageId, (perPage.get(embed.pageId) ?? 0) + 1);
      if (embed.origins.length === 0) anySite += 1;
      for (const origin of embed.origins) sites.add(origin);
    }
    const pages = await Promise.all(
      [...perPage].map(async ([pageId, liveEmbeds]) => {
        const page = await this.store.pages.findOne({ _id: pageId, workspaceId: viewer.workspace._id });
        return { pageId, title: page?.title ?? null, liveEmbeds };
      }),
    );
    pages.sort((a, b) => b.liveEmbeds - a.liveEmbeds || (a.title ?? '').localeCompare(b.title ?? '') || a.pageId.localeCompare(b.pageId));
    return { secret, liveEmbeds: live.length, pages, sites: [...sites].sort(), anySite };
  }

  /** The newest active secret of the workspace, for minting; null when there is none. */
  async newestActive(workspaceId: string): Promise<ActiveSecret | null> {
    const secrets = await this.store.signingSecrets.find({ workspaceId, revokedAt: null }, { sort: { createdAt: -1 }, limit: 1 });
    return secrets[0] ? this.#unseal(secrets[0]) : null;
  }

  /** Looks a secret up by id on every load; a revoked or unknown id gives null. */
  async findActive(id: string): Promise<ActiveSecret | null> {
    const secret = await this.store.signingSecrets.findOne({ _id: id });
    return secret && !secret.revokedAt ? this.#unseal(secret) : null;
  }

  /**
   * Looks a secret up by id on every load and always unseals one: the live secret, or a decoy
   * for an unknown or revoked id. Verifying against `key` then costs the same whichever it
   * is, so timing does not tell live secrets from revoked or unknown ones.
   */
  async findActiveOrDecoy(id: string): Promise<{ secret: ActiveSecret | null; key: CryptoKey }> {
    // Read on every load, so a revocation counts at once on every instance; only the unsealed, imported key is reused.
    return this.activeOrDecoy(await this.store.signingSecrets.findOne({ _id: id }));
  }

  /** `findActiveOrDecoy` of a secret a load read itself (with the page and the rest, in one round trip). */
  async activeOrDecoy(doc: SigningSecretDoc | null, options: { revokedKey?: boolean } = {}): Promise<{ secret: ActiveSecret | null; key: CryptoKey }> {
    const live = doc && !doc.revokedAt ? doc : null;
    // `revokedKey` (inspectEmbedToken only): a revoked secret's own key, so its tokens can be told
    // apart from forgeries; `secret` stays null, so the token is refused all the same.
    const prepared = live ? this.#keyOf(live) : doc && options.revokedKey ? this.#keyOf(doc) : this.#decoy;
    return { secret: live ? { doc: live, key: prepared.key } : null, key: await prepared.verification };
  }

  #unseal(doc: SigningSecretDoc): ActiveSecret {
    return { doc, key: new TextEncoder().encode(this.box.open(doc.secretSealed, doc._id)) };
  }
}
