import { requireViewer } from '../graphql/context.js';
import type { Resolvers, SignInMethod } from '../graphql/generated/resolvers-types.js';
import type { SignInMethod as StoredMethod } from '../domain/types.js';

const METHODS: Record<StoredMethod, SignInMethod> = { 'api-key': 'API_KEY', password: 'PASSWORD', passkey: 'PASSKEY', invite: 'INVITE' };

/** A person's own sign-in: sessions, passkeys, invitations. */
export const peopleResolvers: Resolvers = {
  Query: {
    mySessions: (_, __, context) => context.services.consoleSessions.list(requireViewer(context), context.sessionId ?? null),
    myPasskeys: (_, __, context) => context.services.passkeys.list(requireViewer(context)),
  },
  Mutation: {
    createInvite: (_, { principalId }, context) => context.services.principals.createInvite(requireViewer(context), principalId),
    passkeyRegistrationOptions: async (_, __, context) =>
      (await context.services.passkeys.registrationOptions(requireViewer(context))) as unknown as Record<string, unknown>,
    registerPasskey: (_, { name, response }, context) => context.services.passkeys.register(requireViewer(context), name, response),
    removePasskey: (_, { id }, context) => context.services.passkeys.remove(requireViewer(context), id),
    signOutEverywhere: (_, __, context) => context.services.consoleSessions.signOutEverywhere(requireViewer(context)),
  },
  ConsoleSession: {
    method: (session) => METHODS[session.method],
  },
};
