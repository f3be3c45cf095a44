import type { Router } from 'express';
import { openApiDocument } from './openapi.js';

/** `GET /api/openapi.json`: the REST surface's OpenAPI 3.1 description (no API key needed). */
export function openApiRoutes(router: Router, publicUrl: () => string = () => ''): void {
  let cached: string | undefined;
  router.get('/api/openapi.json', (_req, res) => {
    cached ??= JSON.stringify(openApiDocument(publicUrl()), null, 2);
    res.set({ 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }).type('json').send(cached);
  });
}
