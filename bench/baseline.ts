import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageDoc } from '../server/src/domain/types.js';
import { compileQuery, toWidgetData, type Scope } from '../server/src/query/compiler.js';
import type { Store } from '../server/src/store/port.js';

/**
 * The floor Porthole is measured against: a bare `node:http` server that does the same
 * store reads for each request — the page by id, then each widget's compiled pipeline —
 * through the same adapter and the same compiler, and answers the same JSON. No Express,
 * no GraphQL, no token, no rate limit, no log: only the data work.
 */
export async function startBaseline(store: Store, page: PageDoc, scope: Scope): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    // The body is read (and ignored) so that both servers consume the same bytes.
    req.resume();
    req.on('end', async () => {
      try {
        const current = (await store.pages.findOne({
          _id: page._id,
          workspaceId: page.workspaceId,
        }))!;
        const widgets = await Promise.all(
          current.widgets.map(async (widget) => ({
            id: widget.id,
            title: widget.title,
            kind: widget.kind,
            data: toWidgetData(widget.query, await store.aggregateRecords(compileQuery(widget.query, scope))),
          })),
        );
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
