import { Resource } from '../../lib/resource.svelte';
import { lookupInvitation } from '../api/session-api';

export type InvitationDetails = Awaited<ReturnType<typeof lookupInvitation>>;

/**
 * The invitation a link carries (`/console/invite?code=…`): whose it is, asked without using it.
 * The code stays in memory and in the address bar until it is used; the page is served with
 * `Referrer-Policy: no-referrer`, so no request it makes carries it elsewhere.
 */
export class Invitation {
  readonly details: Resource<InvitationDetails>;

  constructor(readonly code: string) {
    this.details = new Resource(() => lookupInvitation(code));
  }
}
