import { Resource } from '../../lib/resource.svelte';
import { createMember, deleteMember, listMembers, updateMember, type Member, type PrincipalKind, type Role } from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { toDataAccessInput, type DataAccessDraft } from '../lib/data-access';

/** Settings → Members: the workspace's members and agents, for admins. The new key is kept only until dismissed. */
export class Members {
  readonly list = new Resource((signal) => listMembers(signal));
  #created = $state.raw<{ principal: Member; apiKey: string } | null>(null);
  #busy = $state<string | null>(null);
  #error = $state.raw<{ id: string; text: string } | null>(null);

  get created(): { principal: Member; apiKey: string } | null {
    return this.#created;
  }
  /** `new` or the principal id an action is running for. */
  get busy(): string | null {
    return this.#busy;
  }
  errorFor(id: string): string {
    return this.#error?.id === id ? this.#error.text : '';
  }

  async create(input: { name: string; kind: PrincipalKind; role: Role; access: DataAccessDraft }): Promise<boolean> {
    return this.#run('new', async () => {
      this.#created = await createMember({ name: input.name.trim(), kind: input.kind, role: input.role, dataAccess: toDataAccessInput(input.access) });
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
