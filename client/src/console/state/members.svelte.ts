import { Resource } from '../../lib/resource.svelte';
import {
  createInvite,
  createMember,
  deleteMember,
  listMembers,
  updateMember,
  type Invite,
  type Member,
  type PrincipalKind,
  type Role,
} from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { toDataAccessInput, type DataAccessDraft } from '../lib/data-access';

/** A credential shown once: a new agent's (or tooling member's) API key, or a person's invitation link. */
export type ShownCredential = { principal: Member; apiKey: string; invite: null } | { principal: Member; apiKey: null; invite: Invite };

/** Settings → Members: the workspace's members and agents, for admins. A new key or link is kept only until dismissed. */
export class Members {
  readonly list = new Resource((signal) => listMembers(signal));
  #created = $state.raw<ShownCredential | null>(null);
  #busy = $state<string | null>(null);
  #error = $state.raw<{ id: string; text: string } | null>(null);

  get created(): ShownCredential | null {
    return this.#created;
  }
  /** `new` or the principal id an action is running for. */
  get busy(): string | null {
    return this.#busy;
  }
  errorFor(id: string): string {
    return this.#error?.id === id ? this.#error.text : '';
  }

  /** A person (MEMBER with an email) gets an invitation link; an agent, or a member without an email, an API key. */
  async create(input: { name: string; kind: PrincipalKind; role: Role; email: string; access: DataAccessDraft }): Promise<boolean> {
    return this.#run('new', async () => {
      const email = input.kind === 'MEMBER' ? input.email.trim() : '';
      const created = await createMember({
        name: input.name.trim(),
        kind: input.kind,
        role: input.role,
        ...(email ? { email } : {}),
        dataAccess: toDataAccessInput(input.access),
      });
      this.#created = created.invite
        ? { principal: created.principal, apiKey: null, invite: created.invite }
        : { principal: created.principal, apiKey: created.apiKey!, invite: null };
    });
  }

  /** A new invitation link for a person; it also resets their sign-in (password, passkeys, sessions). */
  reinvite(member: Member): Promise<boolean> {
    return this.#run(member.id, async () => {
      this.#created = { principal: member, apiKey: null, invite: await createInvite(member.id) };
    });
  }

  update(id: string, input: { role: Role; access: DataAccessDraft }): Promise<boolean> {
    return this.#run(id, async () => {
      await updateMember(id, { role: input.role, dataAccess: toDataAccessInput(input.access) });
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#run(id, async () => {
      await deleteMember(id);
      if (this.#created?.principal.id === id) this.#created = null;
    });
  }

  dismissCreated(): void {
    this.#created = null;
  }

  async #run(id: string, action: () => Promise<void>): Promise<boolean> {
    this.#busy = id;
    this.#error = null;
    try {
      await action();
      await this.list.load();
      return true;
    } catch (error) {
      this.#error = { id, text: messageOf(error) };
      return false;
    } finally {
      this.#busy = null;
    }
  }
}
