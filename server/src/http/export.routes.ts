import { Router } from 'express';
import type { Logger } from 'pino';
import type { Services } from '../services.js';
import { sendRestError } from './errors.js';

/** `filename*` (RFC 6987/5987) for any title, and a plain ASCII `filename` beside it for old clients. */
const contentDisposition = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/**
 * `GET /embed/export/:ticket`: the one-time download `exportWidget` answered. The ticket is the
 * credential (taken on first use, 5 minutes); it re-opens the embed token, so every refusal is
 * the error table's answer (the one EMBED_UNAVAILABLE for any dead ticket or token). The file is
 * streamed as it is written.
 */
export function exportRoutes(services: Services, logger: Logger): Router {
  const router = Router();
  router.get('/embed/export/:ticket', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' });
    let file;
    try {
      file = await services.exports.download(req.params['ticket']);
    } catch (error) {
      return sendRestError(res, error, (unknown) => logger.error({ err: unknown }, 'Export failed'));
    }
    res.status(200).set({ 'Content-Type': file.contentType, 'Content-Disposition': contentDisposition(file.filename) });
    try {
      await file.write(res);
    } catch (error) {
      // Headers are gone already: end the connection, so the client sees a broken download rather than a short file.
      logger.error({ err: error }, 'Export stream failed');
      res.destroy();
    }
  });
  return router;
}
