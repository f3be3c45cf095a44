import { createHash } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { randomToken } from '../crypto/random.js';
import type { DateRangePreset, ExportFormatValue, ExportTicketDoc } from '../domain/types.js';
import type { Clock } from '../domain/viewer.js';
import { AppError, badInput, embedExportNotAllowed, embedUnavailable } from '../errors.js';
import type { Store } from '../store/port.js';
import type { EmbedsService, PageGrant } from './embeds.service.js';
import { exportFile, type ExportFile } from './export-files.js';
import type { UsageRecorder } from './usage-recorder.js';
import { resolveViewing, type ViewerChoices } from './viewing.js';

/** How long a download URL works (once). */
export const EXPORT_TICKET_SECONDS = 300;
const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** What `exportWidget` answers: a URL that downloads the file once, within EXPORT_TICKET_SECONDS. */
export interface ExportJob {
  url: string;
  expiresAt: Date;
  format: ExportFormatValue;
}

/** The credentials an export re-opens on download: the embed token and the viewer's, as the request sent them. */
export interface ExportCredentials {
  token: string;
  viewerToken: string | undefined;
  address: string | null;
}

/** The viewer's choices as stored with a ticket (dates as ISO strings) back as the renderer takes them. */
function choicesOf(stored: string): ViewerChoices {
  const parsed = JSON.parse(stored) as { range: { preset?: DateRangePreset | null; from?: string | null; to?: string | null } | null; timezone: string | null };
  const range = parsed.range
    ? {
        preset: parsed.range.preset ?? null,
        from: parsed.range.from ? new Date(parsed.range.from) : null,
        to: parsed.range.to ? new Date(parsed.range.to) : null,
      }
    : null;
  return { range, timezone: parsed.timezone };
}

const ticketId = (ticket: string): string => createHash('sha256').update(ticket).digest('base64url');

/**
 * Exports of an embed's widgets. The file is the widget as the embed renders it for the same
 * token (`EmbedsService.renderForExport`: the same renderer, scope, definer clamp, range, zone
 * and locale; no query of its own), rendered when it is downloaded: the download URL carries a
 * one-time ticket, claimed atomically (`takeOne`), which re-opens the token then, so a token
 * revoked, expired or narrowed since the request is refused or narrowed.
 */
export class ExportsService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly embeds: EmbedsService,
    private readonly usage: UsageRecorder,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
    /** PORTHOLE_MAX_EXPORT_ROWS. */
    private readonly maxRows: number,
  ) {}

  /** A download URL for one widget of the page the grant opens, if its token allows the format. */
  async request(grant: PageGrant, credentials: ExportCredentials, widgetId: string, format: ExportFormatValue, choices: ViewerChoices): Promise<ExportJob> {
    if (!grant.exports.includes(format) || !grant.embedId) throw embedExportNotAllowed();
    if (!grant.page.widgets.some((widget) => widget.id === widgetId)) throw badInput('widgetId: no such widget on this page.');
    // The choices are checked now, so a bad range is answered here rather than by a failed download.
    resolveViewing(grant.page, grant.viewing, choices, this.clock.now());
    const ticket = randomToken(32);
    const id = ticketId(ticket);
    const expiresAt = new Date(this.clock.now().getTime() + EXPORT_TICKET_SECONDS * 1000);
    await this.store.exportTickets.insertOne({
      _id: id,
      workspaceId: grant.page.workspaceId,
      embedId: grant.jti,
      widgetId,
      format,
      sealedToken: this.box.seal(credentials.token, id),
      sealedViewerToken: credentials.viewerToken ? this.box.seal(credentials.viewerToken, `${id}:viewer`) : null,
      choices: JSON.stringify({ range: choices.range ?? null, timezone: choices.timezone ?? null }),
      viewerId: grant.viewerId,
      addressDigest: this.audit.addressDigest(credentials.address) ?? '',
      expiresAt,
    });
    return { url: `${this.publicUrl()}/embed/export/${ticket}`, expiresAt, format };
  }

  /**
   * The file a download URL names, once: the ticket is taken (a second download finds nothing),
   * the token re-opened as on a load, and the widget rendered. Any failure of the ticket or the
   * credential is the one EMBED_UNAVAILABLE; a token that no longer allows the format is
   * EMBED_EXPORT_NOT_ALLOWED. The export is audited and counted before the file is sent.
   */
  async download(ticket: unknown): Promise<ExportFile> {
    if (typeof ticket !== 'string' || !TICKET_PATTERN.test(ticket)) throw embedUnavailable();
    const id = ticketId(ticket);
    const taken = await this.store.exportTickets.takeOne({ _id: id });
    const now = this.clock.now();
    if (!taken || taken.expiresAt.getTime() <= now.getTime()) throw embedUnavailable();
    const grant = await this.#reopen(taken, id);
    if (!grant.exports.includes(taken.format)) throw embedExportNotAllowed();
    const widget = grant.page.widgets.find((candidate) => candidate.id === taken.widgetId);
    if (!widget) throw embedUnavailable();
    const rendered = await this.embeds.renderForExport(grant, choicesOf(taken.choices));
    const shown = rendered.widgets.find((candidate) => candidate.id === taken.widgetId);
    if (!shown) throw embedUnavailable();
    const file = exportFile(taken.format, { widget: shown, maxRows: this.maxRows, timezone: rendered.timezone });
    this.usage.recordExport(grant.embedId ?? taken.embedId, taken.viewerId);
    await this.audit.record({
      workspaceId: taken.workspaceId,
      action: 'embed.export',
      actor: taken.viewerId
        ? { kind: 'viewer', id: taken.viewerId, addressDigest: taken.addressDigest || null }
        : { kind: 'anonymous', id: null, addressDigest: taken.addressDigest || null },
      targets: { pageId: grant.page._id, embedId: taken.embedId, widgetId: taken.widgetId },
      jti: taken.embedId,
      kid: grant.secretId,
      origin: 'embed',
      detail: { format: taken.format, rows: file.rows },
    });
    return file;
  }

  /** The ticket's token, opened again now (with its viewer), as the same embed it was issued for. */
  async #reopen(taken: ExportTicketDoc, id: string): Promise<PageGrant> {
    let token: string;
    let viewerToken: string | undefined;
    try {
      token = this.box.open(taken.sealedToken, id);
      viewerToken = taken.sealedViewerToken ? this.box.open(taken.sealedViewerToken, `${id}:viewer`) : undefined;
    } catch {
      throw embedUnavailable();
    }
    let grant;
    try {
      grant = await this.embeds.open(token, viewerToken);
    } catch (error) {
      // A viewer whose session ended meanwhile gets the same answer as a dead token: a download link says nothing more.
      if (error instanceof AppError) throw embedUnavailable();
      throw error;
    }
    if (grant.kind !== 'page' || grant.jti !== taken.embedId || grant.page.workspaceId !== taken.workspaceId) throw embedUnavailable();
    return grant;
  }
}
