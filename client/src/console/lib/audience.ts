import type { Audience } from '../api/console-api';

/**
 * The three audiences, as the console names them: who can open an embed (a viewer signed in to
 * Porthole, or anyone) and whose data it shows (always the minter's access, clamped at every load).
 */
export const AUDIENCES: Record<Audience, { short: string; opens: string; shows: string }> = {
  SELF: {
    short: 'Only me',
    opens: 'Only me, signed in',
    shows: 'Shows your own data access: the numbers you see yourself.',
  },
  WORKSPACE: {
    short: 'My workspace',
    opens: 'People in this workspace, signed in',
    shows: "Shows the workspace's data, as far as your own access reaches. Every teammate sees the same numbers.",
  },
  PUBLIC: {
    short: 'Public',
    opens: 'Anyone with the link',
    shows: "Shows the workspace's data, as far as your own access reaches, to anyone on the open internet: no sign-in.",
  },
};

/** The short name of an audience, for lists of embeds. */
export const audienceLabel = (audience: Audience): string => AUDIENCES[audience].short;
