/**
 * "Download CSV" / "Download Excel" under one widget, for the formats its token allows: loaded by a
 * dynamic import only where a page allows exports, and importing only the entry's GraphQL request
 * (plain DOM, no Svelte), so it stays one small chunk and every other embed's first load stays as it
 * was. A click asks api/export-request.ts (in this chunk, with the export document's hash) for a
 * one-time URL, with what `ask` says at that moment, and follows it as a download.
 */
import { requestExport, type ExportAsk } from '../api/export-request';

export type ExportFormat = 'CSV' | 'XLSX';

export interface ExportButtonsProps {
  widgetId: string;
  formats: readonly ExportFormat[];
  /** The token, choices and viewer current when a button is pressed. */
  ask: () => ExportAsk;
}

const WORDS: Record<string, { CSV: string; XLSX: string; failed: string }> = {
  en: { CSV: 'Download CSV', XLSX: 'Download Excel', failed: 'The download failed. Try again.' },
  de: { CSV: 'CSV herunterladen', XLSX: 'Excel herunterladen', failed: 'Der Download ist fehlgeschlagen. Bitte erneut versuchen.' },
  fr: { CSV: 'Télécharger en CSV', XLSX: 'Télécharger en Excel', failed: 'Le téléchargement a échoué. Réessayez.' },
  es: { CSV: 'Descargar CSV', XLSX: 'Descargar Excel', failed: 'La descarga falló. Inténtalo de nuevo.' },
  ja: { CSV: 'CSV をダウンロード', XLSX: 'Excel をダウンロード', failed: 'ダウンロードに失敗しました。もう一度お試しください。' },
};

/** Fills `node` with the buttons (replacing what it held). */
export function renderExportButtons(node: HTMLElement, { widgetId, formats, ask }: ExportButtonsProps): void {
  const words = WORDS[document.documentElement.lang.slice(0, 2)] ?? WORDS['en']!;
  const failure = document.createElement('p');
  failure.className = 'note';
  failure.setAttribute('role', 'alert');
  const buttons = formats.map((format) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = words[format];
    button.addEventListener('click', async () => {
      buttons.forEach((one) => (one.disabled = true));
      failure.remove();
      try {
        const link = document.createElement('a');
        link.href = await requestExport(widgetId, format, ask());
        link.download = '';
        document.body.append(link);
        link.click();
        link.remove();
      } catch {
        failure.textContent = words.failed;
        node.append(failure);
      } finally {
        buttons.forEach((one) => (one.disabled = false));
      }
    });
    return button;
  });
  node.replaceChildren(...buttons);
}
