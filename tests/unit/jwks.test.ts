import { describe, expect, test } from '@jest/globals';
import { exportJWK, generateKeyPair } from 'jose';
import { IssuerKeys } from '../../server/src/tokens/issuer-keys.js';
import { checkJwksUrl, isRefusedAddress, jwksFetcher, maxAgeOf, type FetchedJwks } from '../../server/src/tokens/jwks-fetch.js';

/** The JWKS fetch's SSRF guard and the key cache's clock rules, without a network. */

describe('where a JWKS may be fetched from', () => {
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
  ])('a production server refuses %s', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  test.each(['93.184.216.34', '2606:4700::6810:85e5', '::ffff:93.184.216.34'])('a production server may fetch from %s', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });

  test('production takes https: only, to a name or a public address; elsewhere loopback http: too', () => {
    expect(checkJwksUrl('https://idp.example/jwks.json', true)).toBeInstanceOf(URL);
    expect(typeof checkJwksUrl('http://localhost:8080/jwks.json', true)).toBe('string');
    expect(typeof checkJwksUrl('https://169.254.169.254/latest', true)).toBe('string');
    expect(typeof checkJwksUrl('https://[::1]/jwks', true)).toBe('string');
    expect(typeof checkJwksUrl('https://user:pass@idp.example/jwks', true)).toBe('string');
    expect(checkJwksUrl('http://127.0.0.1:8080/jwks.json', false)).toBeInstanceOf(URL);
    expect(typeof checkJwksUrl('http://idp.example/jwks.json', false)).toBe('string');
  });

  test('in production a name that resolves to a loopback address is refused before any connection', async () => {
    await expect(jwksFetcher(true)(new URL('https://localhost:9/jwks.json'), AbortSignal.timeout(2000))).rejects.toThrow('refused address');
  });

  test('Cache-Control: max-age is read; no-store and no-cache count as zero', () => {
    expect(maxAgeOf('public, max-age=600')).toBe(600);
    expect(maxAgeOf('no-store')).toBe(0);
    expect(maxAgeOf('max-age=60, no-cache')).toBe(0);
    expect(maxAgeOf(undefined)).toBeNull();
  });
});

describe('the key cache', () => {
  test('a set is kept at most a day whatever its max-age, then fetched again', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    let now = 0;
    let fetches = 0;
    const fetcher = async (): Promise<FetchedJwks> => {
      fetches += 1;
      return { body: { keys: [jwk] }, maxAgeSeconds: 30 * 86_400 };
    };
    const keys = new IssuerKeys(fetcher, 1000, () => now);
    const source = { id: 'i1', jwksUrl: 'https://idp.example/jwks.json', publicKeyPem: null };
    await keys.key(source, 'k1', 'ES256');
    now += 86_400_000 - 1;
    await keys.key(source, 'k1', 'ES256');
    expect(fetches).toBe(1);
    now += 1;
    await keys.key(source, 'k1', 'ES256');
    expect(fetches).toBe(2);
  });

  test('a key of another type than the algorithm is refused', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const keys = new IssuerKeys(
      async () => ({ body: { keys: [jwk, { kty: 'oct', k: 'c2VjcmV0', kid: 'shared' }] }, maxAgeSeconds: null }),
      1000,
      () => 0,
    );
    const source = { id: 'i1', jwksUrl: 'https://idp.example/jwks.json', publicKeyPem: null };
    await expect(keys.key(source, 'k1', 'RS256')).rejects.toThrow('BAD_SIGNATURE');
    await expect(keys.key(source, 'shared', 'ES256')).rejects.toThrow('BAD_SIGNATURE');
  });
});
