/**
 * Why a token was refused. Callers on embed surfaces collapse every code into one answer; only
 * `inspectEmbedToken` (a signed-in principal asking about a credential of its own workspace)
 * reads the code, so the reasons it reports are the ones the load itself decided.
 *
 * The first five come from the token alone; the others from what it names, as read on the load.
 */
export type TokenErrorCode =
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'BAD_CLAIMS'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'REVOKED'
  | 'SECRET_REVOKED'
  | 'PAGE_DELETED'
  | 'AUTHOR_DELETED'
  | 'MINTER_LOST_ACCESS'
  | 'USER_DELETED'
  | 'USER_SUSPENDED'
  | 'REGENERATED'
  | 'SESSION_ENDED';

export class TokenError extends Error {
  constructor(readonly code: TokenErrorCode) {
    super(`Token refused: ${code}`);
    this.name = 'TokenError';
  }
}
