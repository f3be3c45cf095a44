import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageDoc } from '../server/src/domain/types.js';
import { widgetOutputs } from '../server/src/embeds/renderer.js';
import { toWidgetData, type Scope } from '../server/src/query/compiler.js';
import type { RollupsService } from '../server/src/rollups/rollups.service.js';
import type { Store } from '../server/src/store/port.js';

/**
 * The floor Porthole is measured against: a bare `node:http` server that does the same
 * store reads for each request — the page by id, then the same widget queries a render runs
 * (`widgetOutputs`: the page's rollups where they answer, the compiled pipelines otherwise) —
 * through the same adapter and the same compiler, and answers the same JSON. No Express,
 * no GraphQL, no token, no rate limit, no log: only the data work.
 */
export async function startBaseline(store: Store, rollups: RollupsService, page: PageDoc, scope: Scope): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    // The body is read (and ignored) so that both servers consume the same bytes.
    req.resume();
    req.on('end', async () => {
      try {
        const current = (await store.pages.findOne({
          _id: page._id,
          workspaceId: page.workspaceId,
        }))!;
        const outputs = await widgetOutputs(store, rollups, current, scope);
        const widgets = current.widgets.map((widget, index) => ({
          id: widget.id,
          title: widget.title,
          kind: widget.kind,
          data: toWidgetData(widget.query, outputs[index]!),
        }));
        const body = JSON.stringify({
          data: {
            page: {
              id: current._id,
              title: current.title,
              description: current.description,
              refreshSeconds: current.refreshSeconds,
              widgets,
            },
          },
        });
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
