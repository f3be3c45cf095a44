import { startRegistration } from '@simplewebauthn/browser';
import { passkeyRegistrationOptions, registerPasskey, type Passkey } from './console-api';
import { ApiError } from './graphql-client';

/**
 * Adds a passkey for the signed-in person: options (a single-use challenge) from the server, the
 * browser's prompt to create a discoverable credential, then the server verifies and stores it.
 */
export async function createPasskey(name: string | null): Promise<Passkey> {
  const options = await passkeyRegistrationOptions();
  let response: unknown;
  try {
    response = await startRegistration({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
  } catch (error) {
    const name = (error as Error).name;
    throw new ApiError(
      'PASSKEY_CANCELLED',
      name === 'InvalidStateError' ? 'This device already holds a passkey of yours for Porthole.' : 'No passkey was created. Try again when you are ready.',
    );
  }
  return registerPasskey(name, response as Record<string, unknown>);
}
