/** Why a token was refused. Callers on embed surfaces collapse every code into one answer. */
export type TokenErrorCode = 'MALFORMED' | 'BAD_SIGNATURE' | 'BAD_CLAIMS' | 'EXPIRED';

export class TokenError extends Error {
  constructor(readonly code: TokenErrorCode) {
    super(`Token refused: ${code}`);
    this.name = 'TokenError';
  }
}
