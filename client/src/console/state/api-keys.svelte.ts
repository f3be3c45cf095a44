import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../api/console-api';
import { ShownOnceCredentials } from './shown-once-credentials.svelte';

/** The signed-in principal's own API keys. */
export const apiKeys = (): ShownOnceCredentials<ApiKey> =>
  new ShownOnceCredentials({
    list: listApiKeys,
    create: async (name) => {
      const { key, plaintext } = await createApiKey(name);
      return { item: key, plaintext };
    },
    revoke: revokeApiKey,
  });
