import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { safeEqual } from '../../server/src/crypto/safe-equal.js';
import { SecretBox } from '../../server/src/crypto/secret-box.js';
import { peekSigningSecretId, signPageEmbedToken, verifyPageEmbedToken } from '../../server/src/tokens/page-embed-token.js';
import { assertCompactJws, isCanonicalBase64Url } from '../../server/src/tokens/shape.js';
import { TokenError } from '../../server/src/tokens/token-error.js';
import { signSessionToken, signUserEmbedToken, verifySessionToken, verifyUserEmbedToken } from '../../server/src/tokens/user-tokens.js';

/** A frozen clock: every verification below happens at exactly this instant. */
const NOW = new Date('2026-11-22T12:00:00.000Z');
const key = new Uint8Array(randomBytes(32));
const otherKey = new Uint8Array(randomBytes(32));
const subject = { userId: 'u1', workspaceId: 'w1', secretVersion: 'v1' };
const KID = 'a'.repeat(28);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const segments = (token: string) => token.split('.') as [string, string, string];

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

function resign(header: Record<string, unknown>, payload: string, signingKey: Uint8Array, algorithm = 'sha256') {
  const input = `${b64(header)}.${payload}`;
  return `${input}.${createHmac(algorithm, signingKey).update(input).digest('base64url')}`;
}

describe('user embed tokens', () => {
  test('verify with the user secret and carry no expiry', async () => {
    const token = await signUserEmbedToken(subject, key);
    expect(JSON.parse(Buffer.from(segments(token)[1], 'base64url').toString())).not.toHaveProperty('exp');
    await expect(verifyUserEmbedToken(token, key, new Date('2036-01-01'))).resolves.toEqual(subject);
  });

  test('are deterministic for one secret, so the current token can be re-derived', async () => {
    expect(await signUserEmbedToken(subject, key)).toBe(await signUserEmbedToken(subject, key));
  });

  test('refuse a wrong key, tampered payload, tampered signature, alg none and HS512', async () => {
    const token = await signUserEmbedToken(subject, key);
    const [header, payload, signature] = segments(token);
    const tamperedPayload = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'u2' });
    expect(await refusal(verifyUserEmbedToken(token, otherKey, NOW))).toBe('BAD_SIGNATURE');
    expect(await refusal(verifyUserEmbedToken(`${header}.${tamperedPayload}.${signature}`, key, NOW))).toBe('BAD_SIGNATURE');
    expect(await refusal(verifyUserEmbedToken(`${header}.${payload}.${createHmac('sha256', 'x').update('y').digest('base64url')}`, key, NOW))).toBe(
      'BAD_SIGNATURE',
    );
    expect(await refusal(verifyUserEmbedToken(`${b64({ alg: 'none' })}.${payload}.`, key, NOW))).toBe('MALFORMED');
    expect(await refusal(verifyUserEmbedToken(`${b64({ alg: 'none' })}.${payload}.${signature}`, key, NOW))).toBe('BAD_SIGNATURE');
    expect(await refusal(verifyUserEmbedToken(resign({ alg: 'HS512' }, payload, key, 'sha512'), key, NOW))).toBe('BAD_SIGNATURE');
  });

  test('are compact: header {"alg":"HS256"}, exactly sub, ws and v, under 200 characters for real ids', async () => {
    const real = { userId: '019a6f3c2b1d0000a1b2c3d4e5f6', workspaceId: '019a6f3c2a000000f6e5d4c3b2a1', secretVersion: 'AbCdEfGhIjKl' };
    const token = await signUserEmbedToken(real, key);
    const [header, payload] = segments(token);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ sub: real.userId, ws: real.workspaceId, v: real.secretVersion });
    expect(token.length).toBeLessThanOrEqual(200);
  });

  test('refuse a token under the right key whose claim set is not exactly sub, ws and v', async () => {
    const claims = { sub: 'u1', ws: 'w1', v: 'v1' };
    expect(await refusal(verifyUserEmbedToken(resign({ alg: 'HS256' }, b64({ ...claims, aud: 'porthole:session' }), key), key, NOW))).toBe('BAD_CLAIMS');
    expect(await refusal(verifyUserEmbedToken(resign({ alg: 'HS256' }, b64({ sub: 'u1', ws: 'w1', v: 7 }), key), key, NOW))).toBe('BAD_CLAIMS');
    await expect(verifyUserEmbedToken(resign({ alg: 'HS256' }, b64(claims), key), key, NOW)).resolves.toEqual(subject);
  });

  test('are not accepted as session tokens, even under the same key', async () => {
    const token = await signUserEmbedToken(subject, key);
    expect(await refusal(verifySessionToken(token, key, NOW))).toBe('BAD_CLAIMS');
  });
});

describe('session tokens', () => {
  const session = { ...subject, epoch: 2 };

  test('live exactly their TTL on a frozen clock, and name their session epoch', async () => {
    const token = await signSessionToken(session, key, NOW, 3600);
    await expect(verifySessionToken(token, key, new Date(NOW.getTime() + 3599_000))).resolves.toEqual(session);
    expect(await refusal(verifySessionToken(token, key, new Date(NOW.getTime() + 3600_000)))).toBe('EXPIRED');
  });

  test('refuse a wrong key and a token without exp', async () => {
    const token = await signSessionToken(session, key, NOW, 3600);
    expect(await refusal(verifySessionToken(token, otherKey, NOW))).toBe('BAD_SIGNATURE');
    const noExp = resign({ alg: 'HS256' }, b64({ iss: 'porthole', aud: 'porthole:session', sub: 'u1', ws: 'w1', v: 'v1' }), key);
    expect(await refusal(verifySessionToken(noExp, key, NOW))).toBe('BAD_CLAIMS');
  });
});

describe('page embed tokens', () => {
  const claims = { ws: 'w1', page: 'p1', audience: 'workspace' as const, sub: 's1', jti: 'j1', rules: [], origins: [] };
  const expires = new Date(NOW.getTime() + 600_000);
  const YEAR = 365 * 86_400;

  test('carry the documented header and claims', async () => {
    const token = await signPageEmbedToken(claims, key, KID, NOW, expires);
    const [header, payload] = segments(token);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: KID });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      ...claims,
      aud: 'porthole:embed',
      iat: NOW.getTime() / 1000,
      exp: expires.getTime() / 1000,
    });
    await expect(verifyPageEmbedToken(token, key, NOW, YEAR)).resolves.toMatchObject(claims);
    expect(peekSigningSecretId(token)).toBe(KID);
  });

  test('expire at exp on a frozen clock', async () => {
    const token = await signPageEmbedToken(claims, key, KID, NOW, expires);
    expect(await refusal(verifyPageEmbedToken(token, key, new Date(expires.getTime() - 1000), YEAR))).toBe('ACCEPTED');
    expect(await refusal(verifyPageEmbedToken(token, key, expires, YEAR))).toBe('EXPIRED');
  });

  test('refuse a missing exp, a wrong audience and claims of the wrong type', async () => {
    const base = { ...claims, aud: 'porthole:embed', iat: NOW.getTime() / 1000 };
    expect(await refusal(verifyPageEmbedToken(resign({ alg: 'HS256', kid: KID }, b64(base), key), key, NOW, YEAR))).toBe('BAD_CLAIMS');
    const exp = expires.getTime() / 1000;
    expect(await refusal(verifyPageEmbedToken(resign({ alg: 'HS256', kid: KID }, b64({ ...base, exp, aud: 'other' }), key), key, NOW, YEAR))).toBe(
      'BAD_CLAIMS',
    );
    expect(await refusal(verifyPageEmbedToken(resign({ alg: 'HS256', kid: KID }, b64({ ...base, exp, audience: 'everyone' }), key), key, NOW, YEAR))).toBe(
      'BAD_CLAIMS',
    );
    expect(
      await refusal(
        verifyPageEmbedToken(
          resign({ alg: 'HS256', kid: KID }, b64({ ...base, exp, rules: [{ field: 'a', op: 'EQ', value: { $ne: 1 } }] }), key),
          key,
          NOW,
          YEAR,
        ),
      ),
    ).toBe('BAD_CLAIMS');
  });

  test('refuse a token without jti or iat, one living longer than the cap, and one issued in the future', async () => {
    const exp = expires.getTime() / 1000;
    const iat = NOW.getTime() / 1000;
    const sign = (payload: Record<string, unknown>) => resign({ alg: 'HS256', kid: KID }, b64({ aud: 'porthole:embed', ...payload }), key);
    const { jti: _jti, ...withoutJti } = claims;
    expect(await refusal(verifyPageEmbedToken(sign({ ...withoutJti, iat, exp }), key, NOW, YEAR))).toBe('BAD_CLAIMS');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, exp }), key, NOW, YEAR))).toBe('BAD_CLAIMS');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat, exp: iat + YEAR }), key, NOW, YEAR))).toBe('ACCEPTED');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat, exp: iat + YEAR + 1 }), key, NOW, YEAR))).toBe('BAD_CLAIMS');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat, exp: iat + 10 * YEAR }), key, NOW, YEAR))).toBe('BAD_CLAIMS');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat, exp: 1e308 }), key, NOW, YEAR))).not.toBe('ACCEPTED');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat: iat + 60, exp: iat + 600 }), key, NOW, YEAR))).toBe('ACCEPTED');
    expect(await refusal(verifyPageEmbedToken(sign({ ...claims, iat: iat + 61, exp: iat + 600 }), key, NOW, YEAR))).toBe('NOT_YET_VALID');
  });

  test('read the kid only when it is a string in the id format', () => {
    for (const kid of [{ $ne: null }, '../x', 42, null, 'A'.repeat(28)]) {
      expect(() => peekSigningSecretId(`${b64({ alg: 'HS256', kid })}.${b64({})}.c2ln`)).toThrow(TokenError);
    }
  });
});

describe('the shape check', () => {
  test('accepts three canonical base64url segments and nothing else', () => {
    expect(() => assertCompactJws('eyJh.eyJi.c2ln')).not.toThrow();
    expect(() => assertCompactJws('eyJh.eyJi.c2k')).not.toThrow();
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d',
      'eyJh=.eyJi.c2ln',
      'eyJh.eyJi.c2ln=',
      'ey+h.eyJi.c2ln',
      'eyJh.eyJi.c2l',
      ' eyJh.eyJi.c2ln',
      'a'.repeat(5000),
      42,
      null,
    ]) {
      expect(() => assertCompactJws(bad)).toThrow(TokenError);
    }
  });

  test('a segment is canonical exactly when decoding and re-encoding it gives it back', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const reEncodes = (segment: string) => segment.length % 4 !== 1 && Buffer.from(segment, 'base64url').toString('base64url') === segment;
    let canonical = 0;
    for (let run = 0; run < 20_000; run += 1) {
      const length = 1 + (run % 13);
      const segment = Array.from({ length }, () => alphabet[Math.floor(Math.random() * 64)]).join('');
      expect([segment, isCanonicalBase64Url(segment)]).toEqual([segment, reEncodes(segment)]);
      if (reEncodes(segment)) canonical += 1;
    }
    // Both answers occur often: a quarter of the 4n + 2 and 4n + 3 lengths' last characters are canonical.
    expect(canonical).toBeGreaterThan(5_000);
    expect(canonical).toBeLessThan(15_000);
    // Every last character, at both partial lengths.
    for (const last of alphabet) {
      for (const segment of [`e${last}`, `ey${last}`, `eyJhb${last}`, `eyJhbG${last}`]) expect(isCanonicalBase64Url(segment)).toBe(reEncodes(segment));
    }
  });
});

describe('secrets at rest', () => {
  test('seal and open, bound to their record', () => {
    const box = new SecretBox(new Uint8Array(randomBytes(32)));
    const sealed = box.seal('phs_plaintext', 'record-1');
    expect(sealed).not.toContain('plaintext');
    expect(box.open(sealed, 'record-1')).toBe('phs_plaintext');
    expect(() => box.open(sealed, 'record-2')).toThrow();
    expect(() => new SecretBox(new Uint8Array(randomBytes(32))).open(sealed, 'record-1')).toThrow();
  });

  test('safeEqual compares whole values', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
