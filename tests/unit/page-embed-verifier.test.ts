import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { importHmacKey } from '../../server/src/tokens/hmac-key.js';
import { PageEmbedVerifier, signPageEmbedToken } from '../../server/src/tokens/page-embed-token.js';
import { TokenError } from '../../server/src/tokens/token-error.js';

const claims = { ws: 'w'.repeat(28), page: 'p'.repeat(28), audience: 'public' as const, sub: 's'.repeat(28), jti: 'j'.repeat(28), rules: [], origins: [] };
const at = (iso: string) => new Date(iso);
const reason = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'verified',
    (error: unknown) => (error instanceof TokenError ? error.code : String(error)),
  );

describe('PageEmbedVerifier: a token verified once is not verified again, but its times are checked every time', () => {
  test('a remembered token still expires, still refuses an iat from the future and a lifetime over the cap, and never verifies under another key', async () => {
    const bytes = new Uint8Array(randomBytes(32));
    const key = await importHmacKey(bytes);
    const other = await importHmacKey(new Uint8Array(randomBytes(32)));
    const issued = at('2026-12-01T10:00:00Z');
    const token = await signPageEmbedToken(claims, bytes, 'a'.repeat(28), issued, at('2026-12-01T11:00:00Z'));
    const verifier = new PageEmbedVerifier();
    expect((await verifier.verify(token, key, at('2026-12-01T10:30:00Z'), 86_400)).jti).toBe(claims.jti);
    // Remembered now: the same answers as a full verification would give.
    expect((await verifier.verify(token, key, at('2026-12-01T10:59:59Z'), 86_400)).page).toBe(claims.page);
    expect(await reason(verifier.verify(token, key, at('2026-12-01T11:00:00Z'), 86_400))).toBe('EXPIRED');
    expect(await reason(verifier.verify(token, key, at('2026-12-01T09:58:00Z'), 86_400))).toBe('NOT_YET_VALID');
    expect(await reason(verifier.verify(token, key, at('2026-12-01T10:30:00Z'), 1800))).toBe('BAD_CLAIMS');
    expect(await reason(verifier.verify(token, other, at('2026-12-01T10:30:00Z'), 86_400))).toBe('BAD_SIGNATURE');
    // A changed byte is another token: verified in full, and refused.
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    expect(await reason(verifier.verify(tampered, key, at('2026-12-01T10:30:00Z'), 86_400))).not.toBe('verified');
  });

  test('nothing it hands out can change what it remembers: the first answer is a copy, later ones are frozen', async () => {
    const bytes = new Uint8Array(randomBytes(32));
    const key = await importHmacKey(bytes);
    const now = at('2026-12-01T10:00:00Z');
    const token = await signPageEmbedToken(
      { ...claims, rules: [{ field: 'owner', op: 'EQ', value: 'a' }] },
      bytes,
      'a'.repeat(28),
      now,
      at('2026-12-01T11:00:00Z'),
    );
    const verifier = new PageEmbedVerifier();
    (await verifier.verify(token, key, now, 86_400)).rules.push({ field: 'owner', op: 'EQ', value: 'b' });
    const again = await verifier.verify(token, key, now, 86_400);
    expect(() => (again.rules as unknown[]).push('x')).toThrow(/not extensible/);
    expect(() => Object.assign(again.rules[0]!, { value: 'b' })).toThrow(/read only/);
    expect((await verifier.verify(token, key, now, 86_400)).rules).toEqual([{ field: 'owner', op: 'EQ', value: 'a' }]);
  });
});
