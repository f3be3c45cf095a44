import { createSigningSecret, listSigningSecrets, revokeSigningSecret, type SigningSecret } from '../api/console-api';
import { ShownOnceCredentials } from './shown-once-credentials.svelte';

/** Settings → Developer → Embedding: the workspace's signing secrets (admins only). */
export const signingSecrets = (): ShownOnceCredentials<SigningSecret> =>
  new ShownOnceCredentials({
    list: listSigningSecrets,
    create: async (name) => {
      const { secret, plaintext } = await createSigningSecret(name);
      return { item: secret, plaintext };
    },
    revoke: revokeSigningSecret,
  });
