import { newId } from '../crypto/random.js';
import type { IssuerAlgorithm, TokenIssuerDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError, badInput, notFound } from '../errors.js';
import { authorize } from '../policies/policies.js';
import type { Store } from '../store/port.js';
import { checkPublicKeyPem } from '../tokens/issuer-keys.js';
import { checkJwksUrl } from '../tokens/jwks-fetch.js';
import { ISSUER_ALGORITHMS } from '../tokens/jwt.js';
import { PAGE_EMBED_AUDIENCE } from '../tokens/page-embed-token.js';

export interface TokenIssuerInput {
  name: string;
  issuer: string;
  audience?: string | null;
  jwksUrl?: string | null;
  publicKeyPem?: string | null;
  algorithms: readonly IssuerAlgorithm[];
}

const MAX_NAME = 100;
const MAX_ISSUER = 512;
const MAX_PEM = 8192;

/**
 * Partners' own signers of page embed tokens (their identity provider's keys). Admins register
 * and revoke them; a load reads its token's issuer with everything else it reads
 * (`EmbedsService`), so a revocation ends its tokens on their next load.
 */
export class TokenIssuersService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly production: boolean,
  ) {}

  async create(viewer: Viewer, input: TokenIssuerInput): Promise<TokenIssuerDoc> {
    authorize(viewer, 'token-issuer:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may register token issuers.' });
    const name = input.name.trim();
    if (!name || name.length > MAX_NAME) throw badInput(`name must be 1–${MAX_NAME} characters.`);
    const issuer = input.issuer.trim();
    if (!issuer || issuer.length > MAX_ISSUER) throw badInput(`issuer must be 1–${MAX_ISSUER} characters.`);
    const audience = input.audience?.trim() || PAGE_EMBED_AUDIENCE;
    if (audience.length > MAX_ISSUER) throw badInput(`audience must be at most ${MAX_ISSUER} characters.`);
    const algorithms = [...new Set(input.algorithms)];
    if (algorithms.length === 0 || algorithms.some((alg) => !ISSUER_ALGORITHMS.includes(alg))) {
      throw badInput(`algorithms: one or more of ${ISSUER_ALGORITHMS.join(', ')}.`);
    }
    const jwksUrl = input.jwksUrl?.trim() || null;
    const publicKeyPem = input.publicKeyPem?.trim() || null;
    if (Boolean(jwksUrl) === Boolean(publicKeyPem)) throw badInput('Give exactly one of jwksUrl and publicKeyPem.');
    if (jwksUrl) {
      const checked = checkJwksUrl(jwksUrl, this.production);
      if (typeof checked === 'string') throw badInput(checked);
    }
    if (publicKeyPem) {
      if (publicKeyPem.length > MAX_PEM) throw badInput(`publicKeyPem must be at most ${MAX_PEM} characters.`);
      const problem = await checkPublicKeyPem(publicKeyPem, algorithms);
      if (problem) throw badInput(problem);
    }
    // One live issuer per `iss` in a workspace: a load must find exactly one.
    const live = await this.store.tokenIssuers.find({ workspaceId: viewer.workspace._id, issuer, revokedAt: null }, { limit: 1 });
    if (live.length > 0) throw new AppError('CONFLICT', 'A live token issuer with this issuer already exists; revoke it first.');
    const doc: TokenIssuerDoc = {
      _id: newId(),
      workspaceId: viewer.workspace._id,
      name,
      issuer,
      audience,
      jwksUrl,
      publicKeyPem,
      algorithms,
      createdBy: viewer.principal._id,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.store.tokenIssuers.insertOne(doc);
    return doc;
  }

  async list(viewer: Viewer): Promise<TokenIssuerDoc[]> {
    authorize(viewer, 'token-issuer:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may list token issuers.' });
    return this.store.tokenIssuers.find({ workspaceId: viewer.workspace._id }, { sort: { createdAt: -1, _id: 1 } });
  }

  /** The kill switch, as for a signing secret: every token of the issuer fails on its next load. */
  async revoke(viewer: Viewer, id: string): Promise<TokenIssuerDoc> {
    authorize(viewer, 'token-issuer:manage', viewer.workspace, { code: 'FORBIDDEN', message: 'Only a workspace admin may revoke token issuers.' });
    const found = await this.store.tokenIssuers.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!found) throw notFound('Token issuer');
    if (found.revokedAt) return found;
    return (await this.store.tokenIssuers.updateOne({ _id: id, workspaceId: viewer.workspace._id }, { set: { revokedAt: this.clock.now() } }))!;
  }
}
