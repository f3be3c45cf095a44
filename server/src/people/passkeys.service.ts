import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { newId } from '../crypto/random.js';
import type { PasskeyDoc, WebAuthnChallengeDoc } from '../domain/types.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { AppError, badInput, notFound } from '../errors.js';
import { authorize } from '../policies/policies.js';
import { DuplicateKeyError, type Store } from '../store/port.js';

/** A browser has this long to answer a challenge; then it is gone. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_PASSKEYS_PER_PERSON = 20;
const MAX_NAME_LENGTH = 60;

/** The outer shape of a WebAuthn answer; the library checks the rest (and every byte of it). */
const credentialResponse = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string().max(8192) }),
  clientExtensionResults: z.looseObject({}).optional().default({}),
});

const NOT_VERIFIED = 'The passkey could not be verified. Try again.';

/** Where WebAuthn credentials are scoped: Porthole's public origin, and its host name as the RP ID. */
function relyingParty(publicUrl: string): { id: string; origin: string } {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin };
}

/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): a person registers them from the console's
 * Settings → Security and signs in with one. Credentials are discoverable (resident), so sign-in
 * needs no email first, and user verification is required: a passkey is a whole sign-in, not a
 * second factor. Challenges are kept server-side for five minutes and used at most once.
 */
export class PasskeysService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
  ) {}

  /** Options for `navigator.credentials.create()`, for the viewer to add a passkey. */
  async registrationOptions(viewer: Viewer): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const person = viewer.principal;
    authorize(viewer, 'passkey:register', person, { code: 'FORBIDDEN', message: 'Only people sign in with passkeys; agents use API keys.' });
    const existing = await this.store.passkeys.find({ principalId: person._id, workspaceId: person.workspaceId });
    if (existing.length >= MAX_PASSKEYS_PER_PERSON) throw badInput(`You have ${MAX_PASSKEYS_PER_PERSON} passkeys; remove one first.`);
    const options = await generateRegistrationOptions({
      rpName: 'Porthole',
      rpID: relyingParty(this.publicUrl()).id,
      userName: person.email ?? person.name,
      userDisplayName: person.name,
      // The user handle a discoverable credential returns at sign-in: the principal id (no personal data).
      userID: new TextEncoder().encode(person._id),
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: CHALLENGE_TTL_MS,
    });
    await this.#remember(options.challenge, 'register', person._id);
    return options;
  }

  /** Verifies the browser's answer to `registrationOptions` and stores the passkey. */
  async register(viewer: Viewer, name: string | null | undefined, response: unknown): Promise<PasskeyDoc> {
    const person = viewer.principal;
    authorize(viewer, 'passkey:register', person, { code: 'FORBIDDEN', message: 'Only people sign in with passkeys; agents use API keys.' });
    const label = (name ?? '').trim() || 'Passkey';
    if (label.length > MAX_NAME_LENGTH) throw badInput(`name must be at most ${MAX_NAME_LENGTH} characters.`);
    const parsed = credentialResponse.safeParse(response);
    if (!parsed.success) throw badInput(NOT_VERIFIED);
    const party = relyingParty(this.publicUrl());
    let info;
    try {
      const verification = await verifyRegistrationResponse({
        response: parsed.data as unknown as RegistrationResponseJSON,
        expectedChallenge: (challenge) => this.#consume(challenge, 'register', person._id),
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        requireUserVerification: true,
      });
      if (!verification.verified) throw badInput(NOT_VERIFIED);
      info = verification.registrationInfo;
    } catch (error) {
      // The library throws plain errors for every malformed or mismatched answer.
      throw error instanceof AppError ? error : badInput(NOT_VERIFIED);
    }
    const passkey: PasskeyDoc = {
      _id: newId(),
      workspaceId: person.workspaceId,
      principalId: person._id,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: (info.credential.transports ?? []).filter((transport): transport is string => typeof transport === 'string').slice(0, 8),
      name: label,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    try {
      await this.store.passkeys.insertOne(passkey);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new AppError('CONFLICT', 'That passkey is already registered.');
      throw error;
    }
    return passkey;
  }

  /** Options for `navigator.credentials.get()` at sign-in: any of this site's discoverable passkeys. */
  async authenticationOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: relyingParty(this.publicUrl()).id,
      userVerification: 'required',
      timeout: CHALLENGE_TTL_MS,
    });
    await this.#remember(options.challenge, 'authenticate', null);
    return options;
  }

  /**
   * The passkey a sign-in answer proves, or null for anything else: an unknown credential, a
   * challenge not issued, expired or already used, a bad signature, a counter that went back.
   */
  async authenticate(response: unknown): Promise<PasskeyDoc | null> {
    const parsed = credentialResponse.safeParse(response);
    if (!parsed.success) return null;
    const passkey = await this.store.passkeys.findOne({ credentialId: parsed.data.id });
    if (!passkey) return null;
    const party = relyingParty(this.publicUrl());
    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response: parsed.data as unknown as AuthenticationResponseJSON,
        expectedChallenge: (challenge) => this.#consume(challenge, 'authenticate', null),
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: passkey.transports as never,
        },
        requireUserVerification: true,
      });
      if (!verification.verified) return null;
      newCounter = verification.authenticationInfo.newCounter;
    } catch {
      return null;
    }
    // A discoverable credential names its person: it must be the one the passkey was registered to.
    const userHandle = (parsed.data.response as { userHandle?: unknown }).userHandle;
    if (typeof userHandle === 'string' && Buffer.from(userHandle, 'base64url').toString('utf8') !== passkey.principalId) return null;
    // Conditional on the counter read above: of two uses of one signature racing, only one passes.
    const used = await this.store.passkeys.updateOne(
      { _id: passkey._id, counter: passkey.counter },
      { set: { counter: newCounter, lastUsedAt: this.clock.now() } },
    );
    return used;
  }

  /** The viewer's own passkeys, newest first. */
  list(viewer: Viewer): Promise<PasskeyDoc[]> {
    return this.store.passkeys.find({ principalId: viewer.principal._id, workspaceId: viewer.workspace._id }, { sort: { createdAt: -1 } });
  }

  /** Removes one of the viewer's passkeys; anyone else's is NOT_FOUND. */
  async remove(viewer: Viewer, id: string): Promise<boolean> {
    const passkey = await this.store.passkeys.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!passkey) throw notFound('Passkey');
    authorize(viewer, 'passkey:remove', passkey, { code: 'NOT_FOUND', what: 'Passkey' });
    return this.store.passkeys.deleteOne({ _id: id, principalId: viewer.principal._id });
  }

  async #remember(challenge: string, purpose: WebAuthnChallengeDoc['purpose'], principalId: string | null): Promise<void> {
    await this.store.webauthnChallenges.insertOne({ _id: challenge, purpose, principalId, expiresAt: new Date(this.clock.now().getTime() + CHALLENGE_TTL_MS) });
  }

  /** Uses a challenge up: true for the one caller that removes a live challenge issued for this purpose (and person). */
  async #consume(challenge: string, purpose: WebAuthnChallengeDoc['purpose'], principalId: string | null): Promise<boolean> {
    if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 256) return false;
    const stored = await this.store.webauthnChallenges.findOne({ _id: challenge });
    if (!stored || stored.purpose !== purpose || stored.principalId !== principalId) return false;
    const removed = await this.store.webauthnChallenges.deleteOne({ _id: challenge });
    return removed && stored.expiresAt.getTime() > this.clock.now().getTime();
  }
}
