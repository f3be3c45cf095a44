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
      signInPerAddress: 30,
      authFailuresPerAddress: 60,
      signInFailuresPerAccount: 10,
    });
    expect(loadConfig({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '7', PORTHOLE_RATE_RENDER_PER_VIEWER: '9' }).rateLimits).toMatchObject({
      authFailuresPerAddress: 7,
      renderPerViewer: 9,
    });
  });

  test('only failed authentications count, and past the limit a right credential is refused before it is tried', async () => {
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
    const before = attempts;
    await expect(limits.authenticate('10.0.0.1', right)).rejects.toBeInstanceOf(RateLimitedError);
    expect(attempts).toBe(before);
    await expect(limits.authenticate('10.0.0.2', right)).resolves.toBeGreaterThan(0);
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

  test('renders are limited per viewer first, then per credential across addresses', async () => {
    const limits = limitsWith({ PORTHOLE_RATE_RENDER_PER_VIEWER: '2', PORTHOLE_RATE_RENDER_PER_TOKEN: '3' });
    await limits.render('a', 'token');
    await limits.render('a', 'token');
    await expect(limits.render('a', 'token')).rejects.toMatchObject({ state: { policy: { name: 'render-viewer' } } });
    await limits.render('b', 'token');
    await expect(limits.render('c', 'token')).rejects.toMatchObject({ state: { policy: { name: 'render-token' } } });
    await limits.render('c', 'another token');
  });
});
