import { randomToken } from '../crypto/random.js';
import type { Services } from '../services.js';

export interface DemoWorkspace {
  apiKey: string;
  pageId: string;
  pageEmbedUrl: string;
  users: Array<{ externalId: string; embedToken: string }>;
}

const PLANS = ['free', 'pro', 'team'] as const;
const CHANNELS = ['phone', 'chat', 'email'] as const;

/**
 * Seeds the `demo` workspace on a fresh embedded server: an admin key, three end users with
 * a month of call records, a dashboard page, a signing secret and a public embed of the page.
 * Returns null when the workspace already exists (its key was shown when it was created).
 */
export async function seedDemo(services: Services, now: Date): Promise<DemoWorkspace | null> {
  const apiKey = `ph_demo_${randomToken(24)}`;
  const { created, workspace, admin } = await services.principals.bootstrapWorkspace('demo', apiKey, 'Demo');
  if (!created || !admin) return null;
  const viewer = { principal: admin, workspace };

  const users = [];
  for (const [externalId, name] of [
    ['cust-ada', 'Ada Lovelace'],
    ['cust-grace', 'Grace Hopper'],
    ['cust-alan', 'Alan Turing'],
  ] as const) {
    const { embedToken } = await services.users.create(viewer, { externalId, name, email: `${externalId}@example.com` });
    users.push({ externalId, embedToken });
  }

  const day = 24 * 3600 * 1000;
  const records = [];
  for (let index = 0; index < 600; index += 1) {
    const owner = users[index % users.length]!.externalId;
    records.push({
      owner,
      // Spread over 30 days and mixed so that each user's numbers differ.
      at: new Date(now.getTime() - ((index * 7) % 30) * day - ((index * 5) % 24) * 3600 * 1000).toISOString(),
      channel: CHANNELS[Math.floor(index / 3) % CHANNELS.length],
      plan: PLANS[Math.floor(index / 9) % PLANS.length],
      minutes: 1 + ((index * 37) % 29),
      resolved: index % 5 !== 0,
    });
  }
  await services.records.ingest(viewer, 'calls', records);

  const page = await services.pages.create(viewer, {
    title: 'Support overview',
    description: 'Calls answered, in New York time.',
    dashboard: true,
    refreshSeconds: 60,
    timezone: 'America/New_York',
    dateRange: { default: 'LAST_30_DAYS', presets: ['TODAY', 'YESTERDAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'THIS_MONTH', 'LAST_MONTH', 'ALL_TIME'], maxDays: 92 },
    widgets: [
      { title: 'Calls', kind: 'NUMBER', label: 'Calls answered', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
      {
        title: 'Average call',
        kind: 'NUMBER',
        label: 'Per call',
        format: { style: 'DURATION', unit: 'minute' },
        query: { dataset: 'calls', metric: { fn: 'AVG', field: 'minutes' } },
      },
      { title: 'Calls by channel', kind: 'BAR', label: 'Calls', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } } },
      {
        title: 'Calls per day, by channel',
        kind: 'LINE',
        label: 'Calls',
        query: { dataset: 'calls', bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'COUNT' } },
      },
      {
        title: 'Latest calls',
        kind: 'TABLE',
        columnLabels: ['Customer', 'When', 'Channel', 'Time on call'],
        columnFormats: [{ column: 'minutes', style: 'DURATION', unit: 'minute' }],
        query: { dataset: 'calls', select: ['owner', 'at', 'channel', 'minutes'], limit: 5 },
      },
    ],
  });
  await services.secrets.create(viewer, 'demo');
  const embed = await services.embeds.mint(viewer, { pageId: page._id, audience: 'public', ttlSeconds: 30 * 24 * 3600 });
  return { apiKey, pageId: page._id, pageEmbedUrl: embed.embedUrl, users };
}
