import { createHash } from 'node:crypto';

/**
 * The CSP source expression (`'sha256-…'`) that allows exactly this inline script or style
 * element's text, and nothing else: a page that needs a few lines inline names them by hash
 * instead of allowing `'unsafe-inline'`.
 */
export const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
