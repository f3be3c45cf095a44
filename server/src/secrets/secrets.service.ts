import { newId, randomToken } from '../crypto/random.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { SigningSecretDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput, notFound } from '../errors.js';
import { authorize } from '../policies/policies.js';
import type { Store } from '../store/port.js';

const SECRET_PREFIX = 'phs_';
const SHOWN_PREFIX_LENGTH = 10;
/** The record id a decoy secret is sealed to: no real secret has it (ids are hex). */
const DECOY_ID = 'decoy';

/** A signing secret ready to sign or verify with: the HMAC key is the plaintext's UTF-8 bytes. */
export interface ActiveSecret {
  doc: SigningSecretDoc;
  key: Uint8Array;
}

/** Workspace signing secrets for page embed tokens. Stored sealed; plaintext shown once. */
export class SecretsService {
  /** A sealed secret of the real shape, unsealed when the id is unknown or revoked, so that a miss costs what a hit costs. */
  readonly #decoySealed: string;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {
    this.#decoySealed = box.seal(SECRET_PREFIX + randomToken(32), DECOY_ID);
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
  async findActiveOrDecoy(id: string): Promise<{ secret: ActiveSecret | null; key: Uint8Array }> {
    const doc = await this.store.signingSecrets.findOne({ _id: id });
    const live = doc && !doc.revokedAt ? doc : null;
    const key = new TextEncoder().encode(this.box.open(live?.secretSealed ?? this.#decoySealed, live?._id ?? DECOY_ID));
    return { secret: live ? { doc: live, key } : null, key };
  }

  #unseal(doc: SigningSecretDoc): ActiveSecret {
    return { doc, key: new TextEncoder().encode(this.box.open(doc.secretSealed, doc._id)) };
  }
}
