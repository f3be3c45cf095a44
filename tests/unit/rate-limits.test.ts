import { describe, expect, test } from '@jest/globals';
import { loadConfig } from '../../server/src/config.js';
import { AppError, embedUnavailable } from '../../server/src/errors.js';
import { RateLimitedError } from '../../server/src/rate-limits/limiter.js';
import { RateLimits } from '../../server/src/rate-limits/surfaces.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';

const clock = { now: () => new Date('2026-12-01T10:00:05Z') };
const limitsWith = (env: Record<string, string>) => new RateLimits(new MemoryStore(), clock, loadConfig(env).rateLimits);

describe('rate limits', () => {
  test('every limit is a setting with the documented default', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      windowSeconds: 60,
      exchangePerAddress: 600,
      exchangePerToken: 120,
      renderPerViewer: 600,
      renderPerToken: 60_000,
      apiPerKey: 6000,
      apiPerWorkspace: 30_000,
      renderPerEndUser: 600,
      signInPerAddress: 30,
      authFailuresPerAddress: 60,
      authFailuresPerCredential: 10,
      signInFailuresPerAccount: 10,
    });
    expect(loadConfig({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '7', PORTHOLE_RATE_RENDER_PER_VIEWER: '9' }).rateLimits).toMatchObject({
      authFailuresPerAddress: 7,
      renderPerViewer: 9,
    });
  });

  test('only failed authentications count; past the limit a failing credential gets 429 and a right one is still served', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '2' });
    let attempts = 0;
    const right = async () => (attempts += 1);
    const wrong = async () => {
      attempts += 1;
      throw embedUnavailable();
    };
    for (let index = 0; index < 5; index += 1) await limits.authenticate('10.0.0.1', right);
    await expect(limits.authenticate('10.0.0.1', wrong)).rejects.toThrow(AppError);
    await expect(
      limits.authenticate(
        '10.0.0.1',
        async () => null,
        (result) => result === null,
      ),
    ).resolves.toBeNull();
    await expect(limits.authenticate('10.0.0.1', wrong)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(
      limits.authenticate(
        '10.0.0.1',
        async () => null,
        (result) => result === null,
      ),
    ).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limits.authenticate('10.0.0.1', right)).resolves.toBeGreaterThan(0);
    await expect(limits.authenticate('10.0.0.2', right)).resolves.toBeGreaterThan(0);
  });

  test('failures are also counted per presented credential, from every address: past its limit that credential gets 429 anywhere', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL: '2' });
    const wrong = async () => {
      throw embedUnavailable();
    };
    await expect(limits.authenticate('10.1.0.1', wrong, undefined, 'stale-token')).rejects.toMatchObject({ code: 'EMBED_UNAVAILABLE' });
    await expect(limits.authenticate('10.1.0.2', wrong, undefined, 'stale-token')).rejects.toMatchObject({ code: 'EMBED_UNAVAILABLE' });
    await expect(limits.authenticate('10.1.0.3', wrong, undefined, 'stale-token')).rejects.toMatchObject({
      state: { policy: { name: 'auth-failures-credential' } },
    });
    // Another credential from the same addresses is not touched.
    await expect(limits.authenticate('10.1.0.3', wrong, undefined, 'other-token')).rejects.toMatchObject({ code: 'EMBED_UNAVAILABLE' });
  });

  test('errors that are not about the credential (an outage, bad input) are not counted as failures', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1' });
    for (let index = 0; index < 3; index += 1) {
      await expect(
        limits.authenticate('10.0.0.3', async () => {
          throw new AppError('BAD_USER_INPUT', 'no');
        }),
      ).rejects.toThrow('no');
    }
    await expect(limits.authenticate('10.0.0.3', async () => 'ok')).resolves.toBe('ok');
  });

  /** Lets a count given back in the background land before the next request. */
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  test('renders are limited per viewer first, then per credential across addresses; an address over its share spends none of the credential', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_RENDER_PER_VIEWER: '2', PORTHOLE_RATE_RENDER_PER_TOKEN: '3' });
    const render = async (address: string, credential: string) => {
      try {
        return await limits.openRender(address, credential, async () => 'grant');
      } finally {
        await settled();
      }
    };
    await render('a', 'token');
    await render('a', 'token');
    await expect(render('a', 'token')).rejects.toMatchObject({ state: { policy: { name: 'render-viewer' } } });
    await expect(render('a', 'token')).rejects.toMatchObject({ state: { policy: { name: 'render-viewer' } } });
    // Had a's refused renders counted for the credential, b would be over it already.
    await expect(render('b', 'token')).resolves.toBe('grant');
    await expect(render('c', 'token')).rejects.toMatchObject({ state: { policy: { name: 'render-token' } } });
    await expect(render('c', 'another token')).resolves.toBe('grant');
  });

  test('a render: an invalid credential is refused as such (429 past the failure limit), a valid one is served whatever its address did, then the render limits', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '2', PORTHOLE_RATE_RENDER_PER_VIEWER: '1', PORTHOLE_RATE_RENDER_PER_TOKEN: '2' });
    const invalid = async () => {
      throw embedUnavailable();
    };
    // Over its render limit, an invalid credential is still refused as invalid, and counted as a failure of the address.
    await limits.openRender('10.0.0.9', 'forged', invalid).catch(() => undefined);
    await expect(limits.openRender('10.0.0.9', 'forged', invalid)).rejects.toMatchObject({ code: 'EMBED_UNAVAILABLE' });
    await settled();
    // Out of failures: another invalid credential from that address gets 429; a valid one is served.
    await expect(limits.openRender('10.0.0.9', 'forged-2', invalid)).rejects.toMatchObject({ state: { policy: { name: 'auth-failures-address' } } });
    await expect(limits.openRender('10.0.0.9', 'token', async () => 'grant')).resolves.toBe('grant');
    await settled();
    await expect(limits.openRender('10.0.0.10', 'token', async () => 'grant')).resolves.toBe('grant');
    await expect(limits.openRender('10.0.0.12', 'token', async () => 'grant')).rejects.toMatchObject({ state: { policy: { name: 'render-token' } } });
  });

  test('an exchange is limited per address, then per token, then by the failure limit; an address over its share spends none of the token', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_EXCHANGE_PER_ADDRESS: '1', PORTHOLE_RATE_EXCHANGE_PER_TOKEN: '2', PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1' });
    const exchange = async (address: string, token: unknown, attempt: () => Promise<string> = async () => 'session') => {
      try {
        return await limits.exchangeAndAuthenticate(address, token, attempt);
      } finally {
        await settled();
      }
    };
    await expect(exchange('a', 'token')).resolves.toBe('session');
    await expect(exchange('a', 'token')).rejects.toMatchObject({ state: { policy: { name: 'exchange-address' } } });
    await expect(exchange('b', 'token')).resolves.toBe('session');
    await expect(exchange('c', 'token')).rejects.toMatchObject({ state: { policy: { name: 'exchange-token' } } });
    await expect(
      exchange('d', 'other', async () => {
        throw embedUnavailable();
      }),
    ).rejects.toMatchObject({ code: 'EMBED_UNAVAILABLE' });
    await expect(exchange('d', 'third')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(exchange('e', undefined)).resolves.toBe('session');
  });
});
