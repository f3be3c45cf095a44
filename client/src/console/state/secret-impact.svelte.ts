import { Resource } from '../../lib/resource.svelte';
import { fetchSigningSecretImpact, type SigningSecretImpact } from '../api/console-api';

/** What revoking one signing secret would stop, asked for when the admin opens the revoke dialog. */
export const secretImpact = (id: string): Resource<SigningSecretImpact> => new Resource((signal) => fetchSigningSecretImpact(id, signal));
