import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig } from '../../server/src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  test('the embedded default needs nothing', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, store: { mode: 'auto', mongoUri: undefined }, masterKey: undefined, seedDemo: true, sessionTtlSeconds: 3600 });
  });

  test('a real database without a master key is refused with a clear line', () => {
    expect(problemsOf({ MONGODB_URI: 'mongodb://db.internal:27017/porthole' })).toEqual([
      expect.stringMatching(/^PORTHOLE_MASTER_KEY is required with MONGODB_URI/),
    ]);
  });

  test('every problem is reported, one line each', () => {
    const problems = problemsOf({ PORT: 'eighty', MONGODB_URI: 'postgres://x', PORTHOLE_BOOTSTRAP: 'acme' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/MONGODB_URI/);
    expect(problems.join('\n')).toMatch(/PORTHOLE_BOOTSTRAP/);
  });

  test('bootstrap entries are parsed into workspaces and keys', () => {
    const key = 'k'.repeat(30);
    expect(loadConfig({ PORTHOLE_BOOTSTRAP: `acme=${key}, globex=${key}x` }).bootstrap).toEqual([
      { slug: 'acme', apiKey: key },
      { slug: 'globex', apiKey: `${key}x` },
    ]);
  });

  test('a short master key is refused', () => {
    expect(problemsOf({ PORTHOLE_MASTER_KEY: 'c2hvcnQ=' })).toHaveLength(1);
  });
});
