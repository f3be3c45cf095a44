import { describe, expect, test } from '@jest/globals';
import type { PageEmbedDoc, SigningSecretDoc } from '../../server/src/domain/types.js';
import { UsageRecorder } from '../../server/src/embeds/usage-recorder.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';

/**
 * Usage adds up across instances: each instance counts loads in memory and flushes in batches;
 * the store sums the loads and keeps the latest `lastUsedAt`, whichever instance flushes last.
 */

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 12, minute));

describe('usage from several instances', () => {
  test('loads are summed and lastUsedAt only moves forward when the instance that saw the older load flushes last', async () => {
    const store = new MemoryStore();
    await store.pageEmbeds.insertOne({ _id: 'embed-1', loadCount: 0, lastUsedAt: null } as unknown as PageEmbedDoc);
    await store.signingSecrets.insertOne({ _id: 'secret-1', lastUsedAt: null } as unknown as SigningSecretDoc);
    let now = at(0);
    const clock = { now: () => now };
    const first = new UsageRecorder(store, clock, (error) => {
      throw error;
    });
    const second = new UsageRecorder(store, clock, (error) => {
      throw error;
    });
    now = at(1);
    second.recordLoad('embed-1', 'secret-1');
    now = at(5);
    first.recordLoad('embed-1', 'secret-1');
    first.recordLoad('embed-1', 'secret-1');
    await first.flush();
    // The second instance flushes its older load later.
    await second.flush();
    const embed = await store.pageEmbeds.findOne({ _id: 'embed-1' });
    expect(embed).toMatchObject({ loadCount: 3, lastUsedAt: at(5) });
    expect((await store.signingSecrets.findOne({ _id: 'secret-1' }))?.lastUsedAt).toEqual(at(5));
  });
});
